package org.fieldstream.seeds;

import java.time.LocalDate;

import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.Sex;

/**
 * One partner record in its typed form: the generator's ground truth, one type per partner file
 * layout (producers/LAYOUTS.md). Person keys are the partner's own ids, before pseudonymisation.
 * The natural key (with program, partner and layout) identifies the record across corrections.
 */
public sealed interface FieldRecord {

    String programId();

    String partnerId();

    /** Layout name of LAYOUTS.md. */
    String layout();

    /** Natural key columns of LAYOUTS.md joined by '|'. */
    String naturalKey();

    /** Identity of the logical record across corrections (the root of LAYOUTS.md). */
    default String rootKey() {
        return programId() + '|' + partnerId() + '|' + layout() + '|' + naturalKey();
    }

    record Cohort(String programId, String partnerId, String cohortId, String topic, int plannedSessions,
                  LocalDate startDate, LocalDate endDate, String orgUnitId, String targetGroup) implements FieldRecord {
        public String layout() {
            return "cohorts";
        }

        public String naturalKey() {
            return cohortId;
        }
    }

    /** Either birthYear or age (age at enrolment) or neither is known. */
    record Enrolment(String programId, String partnerId, String cohortId, String personKey, Sex sex,
                     Integer birthYear, Integer age, LocalDate enrolledOn) implements FieldRecord {
        public String layout() {
            return "enrolments";
        }

        public String naturalKey() {
            return cohortId + '|' + personKey;
        }

        /** Age at enrolment: enrolment year minus birth year, else the recorded age, else null. */
        public Integer ageAtEnrolment() {
            return birthYear != null ? Integer.valueOf(enrolledOn.getYear() - birthYear) : age;
        }
    }

    record Session(String programId, String partnerId, String cohortId, int sessionNumber, LocalDate heldOn)
            implements FieldRecord {
        public String layout() {
            return "sessions";
        }

        public String naturalKey() {
            return cohortId + '|' + sessionNumber;
        }
    }

    record Attendance(String programId, String partnerId, String cohortId, int sessionNumber, String personKey,
                      AttendanceStatus status) implements FieldRecord {
        public String layout() {
            return "attendance";
        }

        public String naturalKey() {
            return cohortId + '|' + sessionNumber + '|' + personKey;
        }
    }

    record Exit(String programId, String partnerId, String cohortId, String personKey, ExitReason reason,
                LocalDate exitedOn) implements FieldRecord {
        public String layout() {
            return "exits";
        }

        public String naturalKey() {
            return cohortId + '|' + personKey;
        }
    }

    record Dialogue(String programId, String partnerId, String dialogueId, DialogueKind kind, String topic,
                    LocalDate heldOn, String orgUnitId) implements FieldRecord {
        public String layout() {
            return "dialogues";
        }

        public String naturalKey() {
            return dialogueId;
        }
    }

    /** personKey is null for an attendee noted by role only (an official). */
    record DialogueAttendee(String programId, String partnerId, String dialogueId, int attendeeNo, String personKey,
                            String role, Sex sex, Integer age) implements FieldRecord {
        public String layout() {
            return "dialogue_attendance";
        }

        public String naturalKey() {
            return dialogueId + '|' + attendeeNo;
        }
    }
}
