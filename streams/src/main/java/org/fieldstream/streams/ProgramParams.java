package org.fieldstream.streams;

import java.time.LocalDate;

import org.fieldstream.reference.Program;

/** Metric parameters of a program, defaults when the program is not (yet) in the reference data. */
record ProgramParams(int dropoutMissedSessions, double completionAttendance, LocalDate startDate) {

    static final ProgramParams DEFAULTS = new ProgramParams(3, 0.8, LocalDate.EPOCH);

    static ProgramParams of(Program program) {
        if (program == null) {
            return DEFAULTS;
        }
        int missed = program.getDropoutMissedSessions() > 0 ? program.getDropoutMissedSessions() : 3;
        double completion = program.getCompletionAttendance() > 0 ? program.getCompletionAttendance() : 0.8;
        LocalDate start = program.getStartDate() != null ? program.getStartDate() : LocalDate.EPOCH;
        return new ProgramParams(missed, completion, start);
    }
}
