package org.fieldstream.seeds;

import java.nio.file.Path;

import org.fieldstream.reference.ReferenceData;

/**
 * Writes a scenario: {@code GenerateMain <output dir> [seed, default 42] [size: tiny|demo|small|medium|large|bench|<cohorts>, default demo]}.
 * Expected files carry person keys as person ids; tests needing published ids call
 * {@link ScenarioGenerator.Result#expected} with the producers' pseudonymiser.
 */
public final class GenerateMain {

    private GenerateMain() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: GenerateMain <output dir> [seed] [tiny|demo|small|medium|large|bench|<cohorts>]");
            System.exit(2);
        }
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42L;
        Size size = args.length > 2 ? Size.parse(args[2]) : Size.DEMO;
        ScenarioGenerator.Result result = new ScenarioGenerator(ReferenceData.bundled(), seed, size).generate(Path.of(args[0]));
        System.out.printf("%d files, %d rows, %d planted malformed rows, expected metrics %s%n", result.files().size(),
                result.rows(), result.rejected().size(), result.expected() == null ? "skipped (above limit)" : "written");
    }
}
