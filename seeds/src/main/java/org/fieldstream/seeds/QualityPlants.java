package org.fieldstream.seeds;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.fieldstream.events.AttendanceStatus;

/**
 * One small cohort of a training partner with the data-quality problems the simulation never makes,
 * each once, written after every other record (so nothing else the scenario draws changes): sessions
 * held weekly from the first Sunday of May with four persons enrolled; the second session with two
 * unenrolled persons present too (more present than enrolled); the third held with no attendance
 * recorded; the fourth a joint session where sixty youths of a neighbouring group were recorded present
 * (64 present, an attendance outlier against the partner's usual 15 to 25); attendance for
 * the sixth, never held (it waits), sent with June's files; five of eight planned sessions held, no
 * exit, and an end date in June (a cohort past its end left open). Its present persons are reached
 * like any other, so the partner's outreach and the cohort's own retention rows include them.
 */
final class QualityPlants {

    static final LocalDate START = LocalDate.of(2026, 5, 3);
    static final int PLANNED = 8;
    static final int HELD = 5;
    /** Persons of another group recorded present at the fourth session. */
    static final int JOINT = 60;

    private final Emitter out;
    private final People people;
    private final PersonCounters counters;

    QualityPlants(Emitter out, People people, PersonCounters counters) {
        this.out = out;
        this.people = people;
        this.counters = counters;
    }

    void plant(CohortSimulator.TrainingPartner tp, SplittableRandom r) {
        String cohortId = tp.partnerId() + "-yt-dq001";
        FieldRecord.Cohort cohort = new FieldRecord.Cohort(tp.programId(), tp.partnerId(), cohortId, tp.topics().get(0), PLANNED,
                START, START.plusWeeks(PLANNED - 1), tp.orgUnits().get(0), tp.targetGroup());
        out.emit(cohort, START, Rows.cohort(cohort));
        List<String> enrolled = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            People.Person p = people.person(People.key(tp.keyPrefix(), tp.kind(), counters.next(tp.keyPrefix(), tp.kind())), tp.kind());
            FieldRecord.Enrolment e = new FieldRecord.Enrolment(tp.programId(), tp.partnerId(), cohortId, p.key(), p.sex(),
                    p.birthYear(), null, START);
            out.emit(e, START, Rows.enrolment(e, p, tp.nationalId(), r));
            enrolled.add(p.key());
        }
        List<String> strangers = new ArrayList<>();
        for (int i = 0; i < 2 + JOINT; i++) {
            strangers.add(People.key(tp.keyPrefix(), tp.kind(), counters.next(tp.keyPrefix(), tp.kind())));
        }
        for (int n = 1; n <= HELD; n++) {
            LocalDate day = START.plusWeeks(n - 1);
            FieldRecord.Session s = new FieldRecord.Session(tp.programId(), tp.partnerId(), cohortId, n, day);
            out.emit(s, day, Rows.session(s));
            if (n == 3) {
                continue;
            }
            for (int i = 0; i < enrolled.size(); i++) {
                AttendanceStatus status = n == 1 || i < 3 ? AttendanceStatus.PRESENT : AttendanceStatus.ABSENT;
                attend(tp, cohortId, n, enrolled.get(i), status, day);
            }
            if (n == 2 || n == 4) {
                for (String stranger : n == 2 ? strangers.subList(0, 2) : strangers.subList(2, 2 + JOINT)) {
                    attend(tp, cohortId, n, stranger, AttendanceStatus.PRESENT, day);
                }
            }
        }
        LocalDate june = START.plusMonths(1);
        for (String key : enrolled.subList(0, 2)) {
            attend(tp, cohortId, 6, key, AttendanceStatus.PRESENT, june);
        }
    }

    private void attend(CohortSimulator.TrainingPartner tp, String cohortId, int session, String key, AttendanceStatus status,
                        LocalDate fileMonth) {
        FieldRecord.Attendance a = new FieldRecord.Attendance(tp.programId(), tp.partnerId(), cohortId, session, key, status);
        out.emit(a, fileMonth, Rows.attendance(a));
    }
}
