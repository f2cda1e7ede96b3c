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
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.Ingest;
import org.fieldstream.producers.IngestSession;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.ProgramSecrets;
import org.fieldstream.producers.Progress;
import org.fieldstream.seeds.ReferenceData;
import org.fieldstream.seeds.ReferenceLoader;
import org.fieldstream.sink.ClickHouseGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that is none of the bundled ones, defined only by hand-written reference files (started
 * three years ago, three partners, a division → district → upazila → union hierarchy, targets):
 * loaded with one command, its partners' history ingested, its metrics landed; a bad set refused
 * whole with every problem listed; a changed target and a removed one reach the dashboard view
 * without a restart; loading the same files again changes nothing.
 */
class OwnProgramIT {

    private static final LocalDate START = LocalDate.now().minusYears(3);

    @TempDir
    Path work;

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
            assertEquals(Map.of(), ReferenceLoader.current(producer.bootstrapServers(), topics.programs));

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
