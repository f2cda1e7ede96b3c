package org.fieldstream.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.Callable;

import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.Topics;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.http.TokenFile;
import org.fieldstream.reference.ReferenceLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code fieldstream partner token PARTNER}: a new push token for a partner, shown once; only its hash is kept. */
@Command(name = "partner", mixinStandardHelpOptions = true, description = "Partner credentials for the push endpoint.",
        subcommands = PartnerCommand.Token.class)
final class PartnerCommand {

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Issue a new token for PARTNER: printed once, its SHA-256 hash written to the tokens file "
                    + "(http.tokens.file). A partner's previous token stops working; a running endpoint follows the file.")
    static final class Token implements Callable<Integer> {
        @Parameters(paramLabel = "PARTNER", description = "a partner id of the reference data")
        String partner;
        @Mixin
        ReferenceCommand.Connection connection = new ReferenceCommand.Connection();

        @Override
        public Integer call() {
            return issue(partner, connection.settings(System.getenv()), System.out, ProcessLog.console());
        }
    }

    static int issue(String partner, ProducerSettings settings, PrintStream out, PrintStream err) {
        Path file = settings.path(SettingKeys.HTTP_TOKENS_FILE);
        if (file == null) {
            err.println("no tokens file: set http.tokens.file (FIELDSTREAM_HTTP_TOKENS_FILE)");
            return 2;
        }
        Topics topics = new Topics(settings.topicPrefix());
        Map<String, byte[]> partners = ReferenceLoader.current(settings.kafkaClients(), topics.partners);
        if (!partners.containsKey(partner)) {
            err.println("unknown partner " + partner + ": add it to partners.csv and run ./fieldstream reference load DIR");
            return 2;
        }
        String token = new TokenFile(file, new SecureRandom()).issue(partner);
        out.println(token);
        err.println("the token of " + partner + " above is shown once; only its hash is kept in " + file
                + " (a previous token of " + partner + " no longer works)");
        return 0;
    }
}
