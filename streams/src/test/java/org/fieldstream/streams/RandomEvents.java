package org.fieldstream.streams;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.DialogueAttended;
import org.fieldstream.events.DialogueHeld;
import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.ParticipantExited;
import org.fieldstream.events.RecordRetracted;
import org.fieldstream.events.SessionHeld;
import org.fieldstream.events.Sex;
import org.fieldstream.events.TrainingCohortRegistered;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Program;

/**
 * A random but plain event history for the property test: two programs with two partners each,
 * cohorts and dialogues named {@code <program>/<partner>/<id>}, a small pool of persons shared by
 * all of them, and for every record a random number of revisions (other content, sometimes the same
 * revision with other content), retractions (also of registrations, sessions and DialogueHeld),
 * duplicates, and a shuffled arrival order — attendance before its session and its enrolment
 * included. Some cohorts are never registered; some attendance rows carry the receive time as event
 * time, as the ingest writes them when it did not know the session's date.
 */
final class RandomEvents {

    static final ZoneId DHAKA = ZoneId.of("Asia/Dhaka");
    private static final LocalDate BASE = LocalDate.of(2026, 1, 5);
    private static final String[] PERSONS = {"p1", "p2", "p3", "p4", "p5", "p6", "p7"};
    private static final String[] ROLES = {"member", "official", "youth"};

    final String prefix;
    final Map<String, Program> programs = new TreeMap<>();
    final Map<String, OrgUnit> orgUnits = new TreeMap<>();
    final List<FieldEvent> events = new ArrayList<>();
    private final Random random;

    RandomEvents(String prefix, long seed) {
        this.prefix = prefix;
        this.random = new Random(seed);
        String[] programIds = {prefix + "pa", prefix + "pb"};
        // one program with its own parameters, the other on the defaults (not in the reference data)
        programs.put(programIds[0], Program.newBuilder().setProgramId(programIds[0]).setName("a").setStartDate(BASE.minusDays(30))
                .setEndDate(null).setDropoutMissedSessions(2 + random.nextInt(3)).setCompletionAttendance(0.5 + random.nextInt(5) / 10.0)
                .build());
        orgUnits.put(prefix + "v1", unit(prefix + "v1", "village", prefix + "d1", prefix + "z1"));
        orgUnits.put(prefix + "z2", unit(prefix + "z2", "upazila", prefix + "d1", null));
        String[] units = {prefix + "v1", prefix + "z2", prefix + "nowhere", null};
        for (String program : programIds) {
            for (String partner : new String[] {"ngo1", "ngo2"}) {
                int cohorts = random.nextInt(3);
                for (int c = 0; c < cohorts; c++) {
                    cohort(program, partner, program + "/" + partner + "/c" + c, units[random.nextInt(units.length)]);
                }
                if (random.nextInt(3) == 0) {
                    dialogue(program, partner, program + "/" + partner + "/d0", units[random.nextInt(units.length)]);
                }
            }
        }
        int duplicates = random.nextInt(1 + events.size() / 5);
        for (int i = 0; i < duplicates && !events.isEmpty(); i++) {
            events.add(events.get(random.nextInt(events.size())));
        }
        Collections.shuffle(events, random);
    }

    /** A few histories' events, for tests that want varied events. */
    static List<FieldEvent> sample() {
        List<FieldEvent> all = new ArrayList<>();
        for (int i = 0; all.size() < 300; i++) {
            all.addAll(new RandomEvents("s" + i + "-", i).events);
        }
        return all;
    }

    private static OrgUnit unit(String id, String level, String district, String upazila) {
        return OrgUnit.newBuilder().setOrgUnitId(id).setName(id).setNameBn(null).setLevel(level).setParentId(null)
                .setDivisionId(null).setDistrictId(district).setUpazilaId(upazila).setUnionId(null).build();
    }

    private LocalDate day(int spread) {
        return BASE.plusDays(random.nextInt(spread));
    }

    private static Instant startOf(LocalDate date) {
        return date.atStartOfDay(DHAKA).toInstant();
    }

    private FieldEvent event(String program, String partner, String orgUnit, String aggregate, String root, int revision,
                             String variant, Instant occurredAt, Object payload) {
        return FieldEvent.newBuilder().setEventId(root + "#" + revision + variant).setRootId(root).setRevision(revision)
                .setProgramId(program).setPartnerId(partner).setOrgUnitId(orgUnit).setAggregateId(aggregate)
                .setOccurredAt(occurredAt).setReceivedAt(occurredAt).setSource("test").setSourceRef(root).setPayload(payload).build();
    }

    /** Revisions of one record: 1 to 3 versions of its content, sometimes two at one revision, sometimes a retraction. */
    private interface Content {
        FieldEvent make(int revision, String variant);
    }

    private void revisions(Content content, String program, String partner, String orgUnit, String aggregate, String root,
                           int retractOneIn) {
        int versions = 1 + (random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0);
        int revision = 1;
        for (int v = 0; v < versions; v++) {
            events.add(content.make(revision, ""));
            if (random.nextInt(8) == 0) {
                events.add(content.make(revision, "x")); // the same revision with other content
            }
            revision += 1 + random.nextInt(2);
        }
        if (random.nextInt(retractOneIn) == 0) {
            int at = random.nextInt(3) == 0 ? revision - 1 : revision; // a retraction at the current revision wins the tie
            events.add(event(program, partner, orgUnit, aggregate, root, Math.max(1, at), "r",
                    startOf(day(150)), RecordRetracted.newBuilder().setReason("test").build()));
        }
    }

    private void cohort(String program, String partner, String aggregate, String orgUnit) {
        String cohortId = aggregate.substring(aggregate.lastIndexOf('/') + 1);
        int planned = 2 + random.nextInt(4);
        if (random.nextInt(5) != 0) { // some cohorts are never registered
            int roots = random.nextInt(8) == 0 ? 2 : 1;
            for (int r = 0; r < roots; r++) {
                String root = aggregate + "/reg" + r;
                revisions((rev, variant) -> {
                    LocalDate start = day(30);
                    return event(program, partner, random.nextInt(4) == 0 ? null : orgUnit, aggregate, root, rev, variant,
                            random.nextInt(3) == 0 ? startOf(BASE) : startOf(start),
                            TrainingCohortRegistered.newBuilder().setCohortId(cohortId).setTopic("t")
                                    .setPlannedSessions(random.nextInt(5) == 0 ? 2 + random.nextInt(4) : planned)
                                    .setStartDate(start).setEndDate(null).setTargetGroup(null).build());
                }, program, partner, orgUnit, aggregate, root, 10);
            }
        }
        int sessions = 1 + random.nextInt(planned + 1);
        List<LocalDate> dates = new ArrayList<>();
        for (int s = 1; s <= sessions; s++) {
            LocalDate held = BASE.plusDays(7L * s + random.nextInt(50));
            dates.add(held);
            int session = s;
            int roots = random.nextInt(10) == 0 ? 2 : 1;
            for (int r = 0; r < roots; r++) {
                String root = aggregate + "/session/" + s + "/" + r;
                revisions((rev, variant) -> {
                    LocalDate on = random.nextInt(4) == 0 ? held.plusDays(random.nextInt(40) - 20) : held;
                    return event(program, partner, orgUnit, aggregate, root, rev, variant, startOf(on),
                            SessionHeld.newBuilder().setCohortId(cohortId).setSessionNumber(session).setHeldOn(on).build());
                }, program, partner, orgUnit, aggregate, root, 8);
            }
        }
        for (String person : PERSONS) {
            int roll = random.nextInt(10);
            if (roll < 5) {
                int roots = random.nextInt(10) == 0 ? 2 : 1;
                for (int r = 0; r < roots; r++) {
                    String root = aggregate + "/enrol/" + person + "/" + r;
                    revisions((rev, variant) -> {
                        LocalDate on = BASE.plusDays(random.nextInt(60));
                        Integer birthYear = random.nextInt(3) == 0 ? 1980 + random.nextInt(30) : null;
                        Integer age = random.nextInt(4) == 0 ? null : 8 + random.nextInt(40);
                        Sex sex = Sex.values()[random.nextInt(4)];
                        return event(program, partner, orgUnit, aggregate, root, rev, variant, startOf(on),
                                ParticipantEnrolled.newBuilder().setCohortId(cohortId).setPersonId(person).setSex(sex)
                                        .setBirthYear(birthYear).setAge(age).setEnrolledOn(on).build());
                    }, program, partner, orgUnit, aggregate, root, 6);
                }
                if (random.nextInt(5) == 0) {
                    String root = aggregate + "/exit/" + person;
                    revisions((rev, variant) -> {
                        LocalDate on = random.nextInt(2) == 0 ? null : BASE.plusDays(30 + random.nextInt(90));
                        return event(program, partner, orgUnit, aggregate, root, rev, variant,
                                on == null ? startOf(BASE.plusDays(400)) : startOf(on), // no date: the receive time
                                ParticipantExited.newBuilder().setCohortId(cohortId).setPersonId(person)
                                        .setReason(ExitReason.values()[random.nextInt(4)]).setExitedOn(on).build());
                    }, program, partner, orgUnit, aggregate, root, 5);
                }
            }
            if (roll < 8) { // enrolled or not: attendance of a few sessions, some not held
                for (int s = 1; s <= sessions + 1; s++) {
                    if (random.nextInt(3) == 0) {
                        continue;
                    }
                    int session = s;
                    int roots = random.nextInt(12) == 0 ? 2 : 1;
                    for (int r = 0; r < roots; r++) {
                        String root = aggregate + "/att/" + s + "/" + person + "/" + r;
                        LocalDate held = s <= dates.size() ? dates.get(s - 1) : null;
                        revisions((rev, variant) -> {
                            AttendanceStatus status = AttendanceStatus.values()[random.nextInt(10) < 6 ? 0 : 1 + random.nextInt(2)];
                            Instant at = held != null && random.nextInt(3) != 0 ? startOf(held)
                                    : Instant.parse("2026-11-29T12:48:00Z").plusSeconds(random.nextInt(100_000)); // receive time
                            return event(program, partner, orgUnit, aggregate, root, rev, variant, at,
                                    AttendanceRecorded.newBuilder().setCohortId(cohortId).setSessionNumber(session)
                                            .setPersonId(person).setStatus(status).build());
                        }, program, partner, orgUnit, aggregate, root, 6);
                    }
                }
            }
        }
    }

    private void dialogue(String program, String partner, String aggregate, String orgUnit) {
        String dialogueId = aggregate.substring(aggregate.lastIndexOf('/') + 1);
        if (random.nextInt(6) != 0) {
            int roots = random.nextInt(8) == 0 ? 2 : 1;
            for (int r = 0; r < roots; r++) {
                String root = aggregate + "/held" + r;
                revisions((rev, variant) -> {
                    LocalDate on = day(120);
                    return event(program, partner, orgUnit, aggregate, root, rev, variant, startOf(on),
                            DialogueHeld.newBuilder().setDialogueId(dialogueId).setKind(DialogueKind.values()[random.nextInt(6)])
                                    .setTopic(random.nextBoolean() ? "water" : "roads").setHeldOn(on).build());
                }, program, partner, orgUnit, aggregate, root, 6);
            }
        }
        int attendees = 1 + random.nextInt(8);
        for (int a = 0; a < attendees; a++) {
            String root = aggregate + "/att/" + a;
            revisions((rev, variant) -> {
                String person = random.nextInt(4) == 0 ? null : PERSONS[random.nextInt(PERSONS.length)];
                Sex sex = Sex.values()[random.nextInt(4)];
                return event(program, partner, orgUnit, aggregate, root, rev, variant,
                        Instant.parse("2026-11-29T12:48:00Z"), // the receive time: the ingest did not know the dialogue's date
                        DialogueAttended.newBuilder().setDialogueId(dialogueId).setPersonId(person)
                                .setRole(ROLES[random.nextInt(ROLES.length)]).setSex(sex)
                                .setAge(random.nextInt(4) == 0 ? null : 8 + random.nextInt(50)).build());
            }, program, partner, orgUnit, aggregate, root, 6);
        }
    }
}
