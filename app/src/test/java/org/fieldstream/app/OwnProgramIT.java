package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.Sex;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.Ingest;
import org.fieldstream.producers.IngestSession;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.ProgramSecrets;
import org.fieldstream.producers.Progress;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reference.ReferenceFiles;
import org.fieldstream.reference.ReferenceLoader;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.FieldRecord;
import org.fieldstream.seeds.Ledger;
import org.fieldstream.seeds.MetricFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that is none of the bundled ones, defined only by hand-written reference files (started
 * three years ago, three partners, a division → district → upazila → union hierarchy, targets):
 * loaded with one command, its partners' history ingested, its metrics landed (the survival curve, in
 * total and by sex x age band, equal to the seeds' expectation of the same records); a bad set refused
 * whole with every problem listed; a changed target and a removed one reach the dashboard view
 * without a restart; loading the same files again changes nothing.
 */
class OwnProgramIT {

    private static final LocalDate START = LocalDate.now().minusYears(3);

    @TempDir
    Path work;

    /** The partners' records as ingested, for the seeds' expectation. */
    private final Ledger ledger = new Ledger();

    @Test
    void ownProgramLoadsIngestsLandsAndFollowsReferenceChanges() throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String db = "it_own_" + run;
        Map<String, String> settings = new HashMap<>(Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", TestServices.kafka().bootstrapServers(),
                "FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".",
                "FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", db,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", "it-own-" + run,
                "FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString(),
                "FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run));
        settings.put(ProgramSecrets.variableFor("oracle"), "own-program-it-secret-01");
        ReferenceData none = new ReferenceData(List.of(), List.of(), List.of(), List.of());
        Path reference = writeReference(work.resolve("reference"), "40");
        Path bad = writeReference(work.resolve("bad"), "40");
        Files.writeString(bad.resolve("partners.csv"), "partner_id,program_id,name,org_unit_id\np-one,oracle,One,nowhere\np-two,elsewhere,Two,\n");

        try (Pipeline pipeline = Pipeline.start(settings, none);
             ClickHouseGateway clickHouse = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "")) {
            ProducerSettings producer = ProducerSettings.load(null, pipeline.config());
            Topics topics = new Topics(producer.topicPrefix());

            // a bad set: every problem listed, nothing published
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(1, ReferenceCommand.load(bad, producer, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
            String problems = err.toString(StandardCharsets.UTF_8);
            assertTrue(problems.contains("partners.csv:2 org_unit_id: unknown org unit nowhere"), problems);
            assertTrue(problems.contains("partners.csv:3 program_id: unknown program elsewhere"), problems);
            assertTrue(problems.contains("nothing was published"), problems);
            assertEquals(Map.of(), ReferenceLoader.current(producer.kafkaClients(), topics.programs));

            // the good set, with one command
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, ReferenceCommand.load(reference, producer, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("reference.programs: 1 added"), out.toString(StandardCharsets.UTF_8));

            // three partners' history, from the program's first months
            for (String partner : List.of("p-one", "p-two", "p-three")) {
                ingestHistory(pipeline.config(), partner);
            }
            String enrolled = "SELECT partner_id, enrolled, completed FROM " + db + ".v_cohort_retention "
                    + "WHERE program_id = 'oracle' AND sex = 'all' AND age_band = 'all' ORDER BY partner_id";
            String landed = await(() -> clickHouse.query(enrolled).toString(),
                    r -> r.contains("p-one") && r.contains("p-two") && r.contains("p-three") && !r.contains("completed=0"));
            assertEquals("[{partner_id=p-one, enrolled=3, completed=2}, {partner_id=p-three, enrolled=3, completed=2}, "
                    + "{partner_id=p-two, enrolled=3, completed=2}]", landed);
            assertSurvivalCurveAsExpected(clickHouse, db, ReferenceFiles.read(reference).data());
            String district = "SELECT district_id, enrolled FROM " + db + ".dash_retention_by_partner_district WHERE partner_id = 'p-one'";
            assertEquals("[{district_id=z-one, enrolled=3}]", clickHouse.query(district).toString());

            // the same files again change nothing; a changed and a removed target reach the dashboard view
            out.reset();
            assertEquals(0, ReferenceCommand.load(reference, producer, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("reference.targets: 0 added, 0 changed, 0 retired, 2 unchanged"),
                    out.toString(StandardCharsets.UTF_8));
            String target = "SELECT target, actual FROM " + db + ".dash_targets_vs_actuals WHERE program_id = 'oracle' AND indicator = 'enrolled'";
            await(() -> clickHouse.query(target).toString(), r -> r.equals("[{target=40.0, actual=9.0}]") || r.equals("[{target=40, actual=9}]"));
            writeReference(reference, "12");
            Files.writeString(reference.resolve("targets.csv"), "program_id,indicator,period,dimension,dimension_id,target\n"
                    + "oracle,enrolled,all,program,oracle,12\n");
            assertEquals(0, ReferenceCommand.load(reference, producer, System.out, System.err));
            await(() -> clickHouse.query(target).toString(), r -> r.equals("[{target=12.0, actual=9.0}]") || r.equals("[{target=12, actual=9}]"));
            await(() -> clickHouse.queryValue("SELECT count() FROM " + db + ".dash_targets_vs_actuals WHERE program_id = 'oracle'"), "1"::equals);
        }
    }

    /**
     * The survival curve in ClickHouse, every grain, equals the seeds' expectation of the ingested
     * records: per cohort the total and the three sex x age bands of its persons (female youth and
     * male youth present at both sessions, the female adult at neither).
     */
    private void assertSurvivalCurveAsExpected(ClickHouseGateway clickHouse, String db, ReferenceData reference) {
        ExpectedMetrics expected = ExpectedMetrics.compute(ledger, reference, Function.identity());
        Map<String, Map<String, Object>> curve = expected.family(MetricFamily.RETENTION_CURVE);
        long byGroup = curve.values().stream().filter(r -> !"all".equals(r.get("sex")) || !"all".equals(r.get("age_band"))).count();
        assertEquals(3 * 3 * 2, byGroup, "three partners' cohorts, three groups each, two sessions: " + curve.keySet());
        assertEquals(3 * 2 + byGroup, curve.size());
        assertEquals(1.0, curve.get("p-one-c1|2|female|youth_15_29").get("survival_rate"));
        assertEquals(0.0, curve.get("p-one-c1|2|female|adult_30_plus").get("survival_rate"));
        assertEquals(2.0 / 3, curve.get("p-one-c1|2|all|all").get("survival_rate"));

        List<MetricFamily> families = List.of(MetricFamily.RETENTION_CURVE);
        String oracle = " WHERE program_id = 'oracle'";
        List<String> differences = Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> MetricsCheck.differences(clickHouse, db, expected, families, oracle), List::isEmpty);
        assertEquals(List.of(), differences);
        assertEquals(String.valueOf(byGroup), clickHouse.queryValue("SELECT count() FROM " + db + ".v_retention_curve"
                + oracle + " AND NOT (sex = 'all' AND age_band = 'all')"));
    }

    /** programs, partners, a four-level hierarchy and two targets (enrolled with the given figure). */
    private static Path writeReference(Path dir, String enrolledTarget) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("programs.csv"), "program_id,name,start_date,end_date,dropout_missed_sessions,completion_attendance\n"
                + "oracle,Oracle livelihoods program," + START + ",,3,0.5\n");
        Files.writeString(dir.resolve("partners.csv"), "partner_id,program_id,name,org_unit_id\n"
                + "p-one,oracle,Partner One,n-one\np-two,oracle,Partner Two,n-two\np-three,oracle,Partner Three,\n");
        Files.writeString(dir.resolve("org_units.csv"), "org_unit_id,name,name_bn,level,parent_id,division_id,district_id,upazila_id,union_id\n"
                + "d-one,North,,division,,,,,\nz-one,Riverside,,district,d-one,,,,\nz-two,Hills,,district,d-one,,,,\n"
                + "u-one,Ferry Ghat,,upazila,z-one,,,,\nu-two,High Ridge,,upazila,z-two,,,,\n"
                + "n-one,East Char,,union,u-one,,,,\nn-two,Tea Garden,,union,u-two,,,,\n");
        Files.writeString(dir.resolve("targets.csv"), "program_id,indicator,period,dimension,dimension_id,target\n"
                + "oracle,enrolled,all,program,oracle," + enrolledTarget + "\noracle,people_reached,all,district,z-one,10\n");
        return dir;
    }

    /** One partner's cohort of three from the program's second month: two sessions, two of three present at both. */
    private void ingestHistory(Map<String, String> config, String partner) throws Exception {
        LocalDate day = START.plusMonths(1);
        String unit = partner.equals("p-two") ? "n-two" : "n-one";
        String cohort = partner + "-c1";
        Path dir = Files.createDirectories(work.resolve(partner));
        Files.writeString(dir.resolve("cohorts.csv"), "cohort_id,topic,planned_sessions,start_date,org_unit_id\n"
                + cohort + ",Kitchen gardens,2," + day + "," + unit + "\n");
        Files.writeString(dir.resolve("enrolments.csv"), "cohort_id,person_key,sex,enrolled_on,age\n"
                + cohort + "," + partner + "-a,female," + day + ",19\n" + cohort + "," + partner + "-b,male," + day + ",24\n"
                + cohort + "," + partner + "-c,female," + day + ",33\n");
        Files.writeString(dir.resolve("sessions.csv"), "cohort_id,session_number,held_on\n"
                + cohort + ",1," + day.plusDays(1) + "\n" + cohort + ",2," + day.plusDays(8) + "\n");
        Files.writeString(dir.resolve("attendance.csv"), "cohort_id,session_number,person_key,status\n"
                + cohort + ",1," + partner + "-a,present\n" + cohort + ",2," + partner + "-a,present\n"
                + cohort + ",1," + partner + "-b,present\n" + cohort + ",2," + partner + "-b,present\n"
                + cohort + ",1," + partner + "-c,absent\n" + cohort + ",2," + partner + "-c,absent\n");
        ledger.accept(new FieldRecord.Cohort("oracle", partner, cohort, "Kitchen gardens", 2, day, null, unit, null));
        ledger.accept(new FieldRecord.Enrolment("oracle", partner, cohort, partner + "-a", Sex.FEMALE, null, 19, day));
        ledger.accept(new FieldRecord.Enrolment("oracle", partner, cohort, partner + "-b", Sex.MALE, null, 24, day));
        ledger.accept(new FieldRecord.Enrolment("oracle", partner, cohort, partner + "-c", Sex.FEMALE, null, 33, day));
        for (int session = 1; session <= 2; session++) {
            ledger.accept(new FieldRecord.Session("oracle", partner, cohort, session, day.plusDays(session == 1 ? 1 : 8)));
            for (String person : List.of("a", "b", "c")) {
                ledger.accept(new FieldRecord.Attendance("oracle", partner, cohort, session, partner + "-" + person,
                        person.equals("c") ? AttendanceStatus.ABSENT : AttendanceStatus.PRESENT));
            }
        }
        try (IngestSession session = IngestSession.open(null, config)) {
            for (Ingest.Result result : session.ingest("oracle", partner, dir,
                    List.of("cohorts.csv", "enrolments.csv", "sessions.csv", "attendance.csv"), Progress.silent())) {
                assertEquals(0, result.rejected(), result.name() + ": " + result.firstRejections());
            }
        }
    }

    private static String await(Supplier<String> read, java.util.function.Predicate<String> done) {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(read::get, done);
    }
}
