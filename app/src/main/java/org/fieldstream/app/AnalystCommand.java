package org.fieldstream.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.ClickHouseLogin;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.reports.PasswordHash;
import org.fieldstream.reports.TextTable;
import org.fieldstream.reports.ViewerAccounts;
import org.fieldstream.schema.AnalystAccounts;
import org.fieldstream.schema.AnalystScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fieldstream analyst add | list | remove | password | refresh}: SQL accounts of the local
 * stack's ClickHouse that read one program or one partner only ({@link AnalystAccounts}), and the
 * dashboard's viewers, who read one program's published figures and have no SQL account
 * ({@link ViewerAccounts}, under the stack's data directory).
 */
@Command(name = "analyst", mixinStandardHelpOptions = true,
        description = "Analysts' ClickHouse accounts of the local stack, each limited by ClickHouse to one program or one partner;"
                + " viewers of one program's published figures on the dashboard (no SQL account).",
        subcommands = {AnalystCommand.Add.class, AnalystCommand.ListAccounts.class, AnalystCommand.Remove.class,
                AnalystCommand.Password.class, AnalystCommand.Refresh.class})
final class AnalystCommand {

    /** The local stack's ClickHouse: its settings, and the folder of its config files. */
    static AnalystAccounts accounts(LocalStack stack, ClickHouseGateway admin) {
        Properties settings = stack.settings();
        return new AnalystAccounts(admin, settings.getProperty("clickhouse.url"),
                settings.getProperty("clickhouse.database", "fieldstream"), stack.clickHouseDir(), "127.0.0.1",
                Integer.parseInt(settings.getProperty("local.clickhouse.tcp.port")), AnalystAccounts.Limits.DEFAULT);
    }

    /** The analyst administrator's connection: {@code clickhouse.admin.user} (the stack's), else {@code clickhouse.user}. */
    static ClickHouseGateway admin(LocalStack stack) {
        Map<String, String> values = stack.values();
        ClickHouseLogin admin = ClickHouseLogin.admin(values);
        return new ClickHouseGateway(values.get(SettingKeys.CLICKHOUSE_URL.key()), admin.user(), admin.password());
    }

    static final String VIEWER = "viewer";

    /** The viewers of the stack: under its data directory ({@code data.dir}, the stack's folder by default). */
    static ViewerAccounts viewers(LocalStack stack) {
        String dataDir = stack.values().get(SettingKeys.DATA_DIR.key());
        return new ViewerAccounts(dataDir == null || dataDir.isBlank() ? stack.settingsFile().getParent() : Path.of(dataDir));
    }

    private abstract static class OnStack implements Callable<Integer> {
        @Mixin
        StackCommand.Where where = new StackCommand.Where();

        @Override
        public Integer call() {
            LocalStack stack = where.stack();
            if (!stack.initialised()) {
                System.err.println("no local stack in " + stack.settingsFile().getParent() + " (start one with ./fieldstream up)");
                return 1;
            }
            try (ClickHouseGateway admin = admin(stack)) {
                return run(accounts(stack, admin), viewers(stack), System.out);
            } catch (IllegalArgumentException e) {
                System.err.println("analyst: " + e.getMessage());
                return 2;
            }
        }

        abstract int run(AnalystAccounts accounts, ViewerAccounts viewers, PrintStream out);
    }

    static void printOnce(AnalystAccounts.Credentials credentials, PrintStream out) {
        out.println("user=" + credentials.user());
        out.println("password=" + credentials.password());
        out.println("database=" + credentials.database());
        out.println("(the password is shown only now; FieldStream keeps its SHA-256 hash only)");
    }

    /** A viewer's user and password, shown once: no database, they have no SQL account. */
    static void printViewerOnce(String name, String password, PrintStream out) {
        out.println("user=" + name);
        out.println("password=" + password);
        out.println("(the password is shown only now; FieldStream keeps a slow salted hash of it only, PBKDF2-HMAC-SHA256 with "
                + PasswordHash.ITERATIONS + " iterations; a viewer logs in to the dashboard and has no SQL account)");
    }

    /**
     * Makes sure the program's internal reader exists and the dashboard holds its password: kept when
     * the stored one still logs in, else made anew.
     */
    static void ensureReader(AnalystAccounts accounts, ViewerAccounts viewers, String program) {
        String known = viewers.reader(program).map(ViewerAccounts.Reader::password).orElse(null);
        AnalystAccounts.Credentials reader = accounts.viewersReader(program, known);
        if (!reader.password().equals(known)) {
            viewers.putReader(new ViewerAccounts.Reader(program, reader.user(), reader.password()));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create an account reading program P (--role program) or partner X of program P (--role partner); "
                    + "prints user=, password= and database= once. --role viewer: the published figures of program P on the "
                    + "dashboard, small cells hidden, no SQL account; prints user= and password= once.")
    static final class Add extends OnStack {
        @Parameters(paramLabel = "NAME", description = "the user: lower-case letters, digits and _") String name;
        @Option(names = "--role", required = true, paramLabel = "program|partner|viewer") String role;
        @Option(names = "--program", required = true, paramLabel = "P") String program;
        @Option(names = "--partner", paramLabel = "X") String partner;

        @Override
        int run(AnalystAccounts accounts, ViewerAccounts viewers, PrintStream out) {
            if (VIEWER.equalsIgnoreCase(role)) {
                if (partner != null && !partner.isBlank()) {
                    throw new IllegalArgumentException("role viewer reads the whole program's published figures: no --partner");
                }
                if (accounts.find(name).isPresent()) {
                    throw new IllegalArgumentException("analyst " + name + " exists: a viewer needs another name");
                }
                if (viewers.find(name).isPresent()) {
                    throw new IllegalArgumentException("viewer " + name + " exists (a new password: analyst password " + name + ")");
                }
                ensureReader(accounts, viewers, program);
                printViewerOnce(name, viewers.add(name, program), out);
                return 0;
            }
            if (viewers.find(name).isPresent()) {
                throw new IllegalArgumentException("viewer " + name + " exists: an analyst needs another name");
            }
            printOnce(accounts.add(name, AnalystScope.of(AnalystScope.Role.parse(role), program, partner)), out);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every analyst account and viewer: name, role, program, partner, database (a viewer has none).")
    static final class ListAccounts extends OnStack {
        @Override
        int run(AnalystAccounts accounts, ViewerAccounts viewers, PrintStream out) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (AnalystAccounts.Analyst a : accounts.list()) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("analyst", a.name());
                row.put("role", a.scope().role().text());
                row.put("program", a.scope().program());
                row.put("partner", a.scope().partner() == null ? "-" : a.scope().partner());
                row.put("database", a.database());
                rows.add(row);
            }
            for (ViewerAccounts.Viewer v : viewers.list()) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("analyst", v.name());
                row.put("role", VIEWER);
                row.put("program", v.program());
                row.put("partner", "-");
                row.put("database", "- (dashboard only)");
                rows.add(row);
            }
            if (rows.isEmpty()) {
                out.println("no analyst accounts (add one with ./fieldstream analyst add NAME --role partner --program P --partner X)");
            } else {
                TextTable.print(rows, out);
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove an account or a viewer; a scope's database goes with its last account (a program's viewers' reader with its last viewer).")
    static final class Remove extends OnStack {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        int run(AnalystAccounts accounts, ViewerAccounts viewers, PrintStream out) {
            ViewerAccounts.Viewer viewer = viewers.find(name).orElse(null);
            if (viewer != null) {
                if (viewers.remove(name)) {
                    accounts.removeViewersReader(viewer.program());
                    viewers.removeReader(viewer.program());
                }
            } else {
                accounts.remove(name);
            }
            out.println("removed " + name);
            return 0;
        }
    }

    @Command(name = "password", mixinStandardHelpOptions = true,
            description = "A new password for NAME (an analyst or a viewer), printed once; the old one stops working.")
    static final class Password extends OnStack {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        int run(AnalystAccounts accounts, ViewerAccounts viewers, PrintStream out) {
            if (viewers.find(name).isPresent()) {
                printViewerOnce(name, viewers.rotate(name), out);
                return 0;
            }
            printOnce(accounts.rotate(name), out);
            return 0;
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true,
            description = "Re-create every scope's tables from the current views (after an upgrade changed a view's columns).")
    static final class Refresh extends OnStack {
        @Override
        int run(AnalystAccounts accounts, ViewerAccounts viewers, PrintStream out) {
            accounts.refresh();
            out.println("refreshed the scopes of " + accounts.list().size() + " analyst accounts");
            return 0;
        }
    }
}
