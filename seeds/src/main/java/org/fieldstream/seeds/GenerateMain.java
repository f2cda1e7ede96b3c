package org.fieldstream.seeds;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.fieldstream.events.StageCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import org.fieldstream.reference.ReferenceData;

/**
 * Writes a scenario: {@code GenerateMain <output dir> [seed, default 42] [size: tiny|demo|small|medium|large|bench|<cohorts>, default demo]}.
 * Expected files carry person keys as person ids; tests needing published ids call
 * {@link ScenarioGenerator.Result#expected} with the producers' pseudonymiser.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a generated program's partner files, manifest and expected metrics.")
public final class GenerateMain implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "output folder")
    private Path dir;
    @Parameters(index = "1", arity = "0..1", defaultValue = "42", paramLabel = "SEED", description = "default: ${DEFAULT-VALUE}")
    private long seed;
    @Parameters(index = "2", arity = "0..1", defaultValue = "demo", paramLabel = "SIZE",
            description = "tiny, demo, small, medium, large, bench or a number of cohorts (default: ${DEFAULT-VALUE})")
    private String size;

    public static void main(String[] args) {
        StageCommand.exit(run(args));
    }

    /** The exit code of {@code generate DIR [SEED] [SIZE]}: 0, or 2 for a command line it cannot read. */
    public static int run(String[] args) {
        return StageCommand.execute(new GenerateMain(), args);
    }

    @Override
    public Integer call() {
        Size parsed;
        try {
            parsed = Size.parse(size);
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "SIZE must be tiny, demo, small, medium, large, bench or a number of cohorts, not " + size);
        }
        ScenarioGenerator.Result result = new ScenarioGenerator(ReferenceData.bundled(), seed, parsed).generate(dir);
        System.out.printf("%d files, %d rows, %d planted malformed rows, expected metrics %s%n", result.files().size(),
                result.rows(), result.rejected().size(), result.expected() == null ? "skipped (above limit)" : "written");
        return 0;
    }
}
