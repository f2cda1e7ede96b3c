package org.fieldstream.producers;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.fieldstream.reference.Partner;
import org.fieldstream.reference.Program;

/**
 * What the ingest must know about programs and partners to validate rows: each program's start date
 * and which program each partner works for. Filled from the reference topics at startup or from
 * settings ({@code program.<id>.start_date}, {@code partner.<id>.program}).
 */
public final class ProgramCatalog {

    private final Map<String, LocalDate> programStarts = new ConcurrentHashMap<>();
    private final Map<String, String> partnerPrograms = new ConcurrentHashMap<>();

    public ProgramCatalog addProgram(String programId, LocalDate startDate) {
        programStarts.put(programId, startDate);
        return this;
    }

    public ProgramCatalog addPartner(String partnerId, String programId) {
        partnerPrograms.put(partnerId, programId);
        return this;
    }

    public void add(Program program) {
        addProgram(program.getProgramId(), program.getStartDate());
    }

    public void add(Partner partner) {
        addPartner(partner.getPartnerId(), partner.getProgramId());
    }

    public Optional<LocalDate> programStart(String programId) {
        return Optional.ofNullable(programStarts.get(programId));
    }

    public Optional<String> programOf(String partnerId) {
        return Optional.ofNullable(partnerPrograms.get(partnerId));
    }

    /**
     * Why a partner may not write a program's data, or null when it may: the program must be known
     * and the partner must be one of its partners.
     */
    public String refusal(String programId, String partnerId) {
        if (!programStarts.containsKey(programId)) {
            return "unknown program " + programId + " (programs come from reference data: ./fieldstream reference load DIR)";
        }
        String own = partnerPrograms.get(partnerId);
        if (own == null) {
            return "unknown partner " + partnerId + " (partners come from reference data: ./fieldstream reference load DIR)";
        }
        if (!own.equals(programId)) {
            return "partner " + partnerId + " belongs to program " + own + ", not " + programId;
        }
        return null;
    }
}
