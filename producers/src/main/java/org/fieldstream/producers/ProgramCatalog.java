package org.fieldstream.producers;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Partner;
import org.fieldstream.reference.Program;
import org.fieldstream.reference.ReferenceFollower;

/**
 * What the ingest must know about programs, partners and org units to validate rows: each program's
 * start (and end) date, which program each partner works for, and which org units exist. Filled from
 * the reference topics at startup or from settings ({@code program.<id>.start_date},
 * {@code program.<id>.end_date}, {@code partner.<id>.program}). Org units are checked only once some
 * are known: without reference data, any well-formed org unit id is taken.
 */
public final class ProgramCatalog implements ReferenceFollower.Catalog {

    private final Map<String, LocalDate> programStarts = new ConcurrentHashMap<>();
    private final Map<String, LocalDate> programEnds = new ConcurrentHashMap<>();
    private final Map<String, String> partnerPrograms = new ConcurrentHashMap<>();
    private final Set<String> orgUnits = ConcurrentHashMap.newKeySet();

    public ProgramCatalog addProgram(String programId, LocalDate startDate) {
        programStarts.put(programId, startDate);
        return this;
    }

    public ProgramCatalog endProgram(String programId, LocalDate endDate) {
        programEnds.put(programId, endDate);
        return this;
    }

    public ProgramCatalog addOrgUnit(String orgUnitId) {
        orgUnits.add(orgUnitId);
        return this;
    }

    public ProgramCatalog addPartner(String partnerId, String programId) {
        partnerPrograms.put(partnerId, programId);
        return this;
    }

    @Override
    public void add(Program program) {
        addProgram(program.getProgramId(), program.getStartDate());
        if (program.getEndDate() != null) {
            endProgram(program.getProgramId(), program.getEndDate());
        }
    }

    @Override
    public void add(OrgUnit orgUnit) {
        addOrgUnit(orgUnit.getOrgUnitId());
    }

    @Override
    public void add(Partner partner) {
        addPartner(partner.getPartnerId(), partner.getProgramId());
    }

    /** Forgets a retired program (a tombstone on the reference topic). */
    @Override
    public void removeProgram(String programId) {
        programStarts.remove(programId);
        programEnds.remove(programId);
    }

    @Override
    public void removePartner(String partnerId) {
        partnerPrograms.remove(partnerId);
    }

    @Override
    public void removeOrgUnit(String orgUnitId) {
        orgUnits.remove(orgUnitId);
    }

    public Optional<LocalDate> programStart(String programId) {
        return Optional.ofNullable(programStarts.get(programId));
    }

    public Optional<LocalDate> programEnd(String programId) {
        return Optional.ofNullable(programEnds.get(programId));
    }

    /** Whether org units are known at all, so that an unknown one can be refused. */
    public boolean knowsOrgUnits() {
        return !orgUnits.isEmpty();
    }

    /** Whether the org unit exists; true for any id while no org unit is known. */
    public boolean orgUnitExists(String orgUnitId) {
        return orgUnits.isEmpty() || orgUnits.contains(orgUnitId);
    }

    public Optional<String> programOf(String partnerId) {
        return Optional.ofNullable(partnerPrograms.get(partnerId));
    }

    @Override
    public String toString() {
        return programStarts.size() + " programs, " + partnerPrograms.size() + " partners, " + orgUnits.size() + " org units";
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
