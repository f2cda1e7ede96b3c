package org.fieldstream.reports;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fieldstream report retention|outreach|freshness [filters] [--html FILE]}: validates the
 * filters, checks they name known reference records, runs the report's queries over the views,
 * prints aligned tables and optionally writes an HTML page with the charts.
 * Exit codes: 0 done, 1 ClickHouse or file failure, 2 refused request.
 */
public final class ReportCommand {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int REFUSED = 2;

    private static final Logger LOG = LoggerFactory.getLogger(ReportCommand.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'");

    private ReportCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out));
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out) {
        return run(args, env, out, Clock.systemUTC());
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, Clock clock) {
        if (ReportRequest.wantsHelp(args)) {
            out.println(ReportRequest.usage());
            return OK;
        }
        ReportRequest request;
        ReportSettings settings;
        try {
            request = ReportRequest.parse(args);
            settings = ReportSettings.load(request.config(), env);
        } catch (ReportError | Settings.Invalid | IllegalArgumentException e) {
            out.println("report: " + e.getMessage());
            out.println(ReportRequest.usage());
            return REFUSED;
        }
        try (ClickHouseGateway gateway = new ClickHouseGateway(settings.url(), settings.user(), settings.password())) {
            ReportOutput report = produce(request, gateway, settings.database(), clock);
            print(report, out);
            if (request.html() != null) {
                writeHtml(request.html(), report, clock);
                out.println("wrote " + request.html());
            }
            return OK;
        } catch (ReportError e) {
            out.println("report: " + e.getMessage());
            return REFUSED;
        } catch (ClickHouseGateway.ClickHouseFailure | ViewMismatch | IOException e) {
            LOG.debug("report failed", e);
            out.println("report: failed: " + e.getMessage());
            return FAILED;
        }
    }

    static ReportOutput produce(ReportRequest request, ClickHouseGateway gateway, String db, Clock clock) {
        new ReferenceCheck(gateway, db).verify(request.filters());
        return switch (request.kind()) {
            case RETENTION -> new RetentionReport(gateway, db).run(request.filters());
            case OUTREACH -> new OutreachReport(gateway, db).run(request.filters());
            case FRESHNESS -> new FreshnessReport(gateway, db, clock).run();
        };
    }

    static void print(ReportOutput report, PrintStream out) {
        out.println("== " + report.title() + " (" + report.filters() + ")");
        for (ReportOutput.Section<?> section : report.sections()) {
            out.println();
            out.println(section.title() + (section.note().isEmpty() ? "" : " — " + section.note()));
            TextTable.print(section.type().names(), section.printed(), out);
        }
    }

    private static void writeHtml(Path file, ReportOutput report, Clock clock) throws IOException {
        String generated = STAMP.format(clock.instant().atOffset(ZoneOffset.UTC));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, HtmlPage.render(report, generated), StandardCharsets.UTF_8);
    }
}
