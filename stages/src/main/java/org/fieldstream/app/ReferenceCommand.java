package org.fieldstream.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.fieldstream.events.ConfigOption;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.Topic;
import org.fieldstream.events.Topics;
import org.fieldstream.producers.KafkaClients;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.SecretFingerprints;
import org.fieldstream.reference.ReferenceFiles;
import org.fieldstream.reference.ReferenceLoader;
import org.fieldstream.reports.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code fieldstream reference load DIR | show}: a program team's own programs, partners, org units
 * and targets, checked whole before anything is published, then synced to the reference topics
 * (new and changed rows sent, removed rows retired), from where streams, sink and push endpoints
 * take them without a restart.
 */
@Command(name = "reference", mixinStandardHelpOptions = true,
        description = "Load or show reference data: programs, partners, org units, targets.",
        subcommands = {ReferenceCommand.Load.class, ReferenceCommand.Show.class})
final class ReferenceCommand {

    /** Settings shared by the subcommands: the Kafka cluster and topic prefix. */
    static final class Connection {
        @Mixin
        ConfigOption config = new ConfigOption();

        ProducerSettings settings(Map<String, String> env) {
            return ProducerSettings.load(config.file(), env);
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = "Check programs.csv, partners.csv, org_units.csv and targets.csv in DIR and publish them; "
                    + "with any problem nothing is published and every problem is listed.")
    static final class Load implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "folder with the four reference files (layout: reference/src/main/resources/reference/README.md)")
        Path dir;
        @Mixin
        Connection connection = new Connection();

        @Override
        public Integer call() {
            return load(dir, connection.settings(System.getenv()), System.out, ProcessLog.console());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the reference data the pipeline uses now.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Connection connection = new Connection();

        @Override
        public Integer call() {
            show(connection.settings(System.getenv()), System.out);
            return 0;
        }
    }

    static int load(Path dir, ProducerSettings settings, PrintStream out, PrintStream err) {
        ReferenceFiles.Result result = ReferenceFiles.read(dir);
        if (!result.ok()) {
            result.problems().forEach(p -> err.println(p));
            err.println(result.problems().size() + " problems in " + dir + "; nothing was published");
            return 1;
        }
        Topics topics = new Topics(settings.topicPrefix());
        KafkaClients.ensureTopics(settings, topics);
        Path secrets = settings.path(SettingKeys.SECRETS_FILE);
        List<String> generated = List.of();
        if (secrets != null) {
            List<String> programs = result.data().programs().stream().map(p -> p.getProgramId()).toList();
            try {
                generated = Secrets.ensure(secrets, programs, settings.environment(),
                        SecretFingerprints.kafka(settings, topics.secretFingerprints));
            } catch (SecretFingerprints.IdentityException e) {
                err.println(e.getMessage());
                return 1;
            }
        }
        List<ReferenceLoader.Change> changes = ReferenceLoader.sync(settings.kafkaClients(), topics, result.data());
        changes.forEach(c -> out.println(c));
        out.println("reference data of " + result.data().programs().size() + " programs published from " + dir);
        for (String program : generated) {
            out.println("generated a pseudonymisation secret for program " + program + " in " + secrets
                    + " (keep it: person ids depend on it)");
        }
        return 0;
    }

    static void show(ProducerSettings settings, PrintStream out) {
        Topics topics = new Topics(settings.topicPrefix());
        List<Map<String, String>> programs = new ArrayList<>();
        current(settings, topics.programs).values().forEach(p -> programs.add(row(
                "program_id", p.getProgramId(), "name", p.getName(), "start_date", String.valueOf(p.getStartDate()),
                "end_date", String.valueOf(p.getEndDate()), "dropout_missed_sessions", String.valueOf(p.getDropoutMissedSessions()),
                "completion_attendance", String.valueOf(p.getCompletionAttendance()),
                "fiscal_year_start_month", String.valueOf(p.getFiscalYearStartMonth()),
                "deviation_threshold", String.valueOf(p.getDeviationThreshold()),
                "small_cell_threshold", String.valueOf(p.getSmallCellThreshold()),
                "reporting_deadline_days", String.valueOf(p.getReportingDeadlineDays()),
                "dq_min_on_time_share", String.valueOf(p.getDqMinOnTimeShare()),
                "dq_max_rejected_share", String.valueOf(p.getDqMaxRejectedShare()),
                "dq_max_duplicate_share", String.valueOf(p.getDqMaxDuplicateShare()),
                "dq_max_late_edits", String.valueOf(p.getDqMaxLateEdits()))));
        List<Map<String, String>> partners = new ArrayList<>();
        current(settings, topics.partners).values().forEach(p -> partners.add(row(
                "partner_id", p.getPartnerId(), "program_id", p.getProgramId(), "name", p.getName(),
                "org_unit_id", String.valueOf(p.getOrgUnitId()))));
        Map<String, Integer> levels = new TreeMap<>();
        current(settings, topics.orgUnits).values().forEach(u -> levels.merge(u.getLevel(), 1, Integer::sum));
        List<Map<String, String>> units = new ArrayList<>();
        levels.forEach((level, count) -> units.add(row("level", level, "org_units", Integer.toString(count))));
        List<Map<String, String>> targets = new ArrayList<>();
        current(settings, topics.targets).values().forEach(t -> targets.add(row(
                "program_id", t.getProgramId(), "indicator", t.getIndicator(), "period", t.getPeriod(),
                "dimension", t.getDimension(), "dimension_id", t.getDimensionId(), "target", String.valueOf(t.getTarget()))));
        section(out, "Programs", programs);
        section(out, "Partners", partners);
        section(out, "Org units", units);
        section(out, "Targets", targets);
    }

    private static <V> Map<String, V> current(ProducerSettings settings, Topic<String, V> topic) {
        Map<String, V> values = new TreeMap<>();
        ReferenceLoader.current(settings.kafkaClients(), topic).forEach((key, bytes) ->
                values.put(key, topic.valueSerde().deserializer().deserialize(topic.name(), bytes)));
        return values;
    }

    private static void section(PrintStream out, String title, List<Map<String, String>> rows) {
        out.println(title);
        if (rows.isEmpty()) {
            out.println("  (none)");
        } else {
            TextTable.print(rows, out);
        }
        out.println();
    }

    private static Map<String, String> row(String... pairs) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put(pairs[i], pairs[i + 1]);
        }
        return row;
    }
}
