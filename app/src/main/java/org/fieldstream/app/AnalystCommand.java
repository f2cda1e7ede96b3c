package org.fieldstream.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.ClickHouseLogin;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.reports.TextTable;
import org.fieldstream.schema.AnalystAccounts;
import org.fieldstream.schema.AnalystScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fieldstream analyst add | list | remove | password | refresh}: SQL accounts of the local
 * stack's ClickHouse that read one program or one partner only ({@link AnalystAccounts}).
 */
@Command(name = "analyst", mixinStandardHelpOptions = true,
        description = "Analysts' ClickHouse accounts of the local stack, each limited by ClickHouse to one program or one partner.",
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
                return run(accounts(stack, admin), System.out);
            } catch (IllegalArgumentException e) {
                System.err.println("analyst: " + e.getMessage());
                return 2;
            }
        }

        abstract int run(AnalystAccounts accounts, PrintStream out);
    }

    static void printOnce(AnalystAccounts.Credentials credentials, PrintStream out) {
        out.println("user=" + credentials.user());
        out.println("password=" + credentials.password());
        out.println("database=" + credentials.database());
        out.println("(the password is shown only now; FieldStream keeps its SHA-256 hash only)");
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create an account reading program P (--role program) or partner X of program P (--role partner); "
                    + "prints user=, password= and database= once.")
    static final class Add extends OnStack {
        @Parameters(paramLabel = "NAME", description = "the ClickHouse user: lower-case letters, digits and _") String name;
        @Option(names = "--role", required = true, paramLabel = "program|partner") String role;
        @Option(names = "--program", required = true, paramLabel = "P") String program;
        @Option(names = "--partner", paramLabel = "X") String partner;

        @Override
        int run(AnalystAccounts accounts, PrintStream out) {
            printOnce(accounts.add(name, AnalystScope.of(AnalystScope.Role.parse(role), program, partner)), out);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every analyst account: name, role, program, partner, database.")
    static final class ListAccounts extends OnStack {
        @Override
        int run(AnalystAccounts accounts, PrintStream out) {
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
            if (rows.isEmpty()) {
                out.println("no analyst accounts (add one with ./fieldstream analyst add NAME --role partner --program P --partner X)");
            } else {
                TextTable.print(rows, out);
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an account; its scope's database goes with its last account.")
    static final class Remove extends OnStack {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        int run(AnalystAccounts accounts, PrintStream out) {
            accounts.remove(name);
            out.println("removed " + name);
            return 0;
        }
    }

    @Command(name = "password", mixinStandardHelpOptions = true, description = "A new password for NAME, printed once; the old one stops working.")
    static final class Password extends OnStack {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        int run(AnalystAccounts accounts, PrintStream out) {
            printOnce(accounts.rotate(name), out);
            return 0;
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true,
            description = "Re-create every scope's tables from the current views (after an upgrade changed a view's columns).")
    static final class Refresh extends OnStack {
        @Override
        int run(AnalystAccounts accounts, PrintStream out) {
            accounts.refresh();
            out.println("refreshed the scopes of " + accounts.list().size() + " analyst accounts");
            return 0;
        }
    }
}
