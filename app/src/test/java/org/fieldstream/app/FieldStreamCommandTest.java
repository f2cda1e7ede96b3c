package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FieldStreamCommandTest {

    @Test
    void theFullClassPathOffersTheStagesAndTheLocalSubcommands() {
        Set<String> subcommands = FieldStream.commandLine().getSubcommands().keySet();
        for (String name : List.of("ingest", "rejections", "serve", "streams", "streams-cleanup", "sink", "cluster-tables", "report", "explain", "dashboard",
                "generate", "reference", "partner", "demo", "up", "down", "status", "supervise", "backup", "restore", "bench", "analyst", "help")) {
            assertTrue(subcommands.contains(name), name + " missing from " + subcommands);
        }
    }
}
