package org.fieldstream.events;

import java.io.PrintWriter;

import picocli.CommandLine;

/**
 * Runs the picocli command of a stage or command main: options parsed by picocli ({@code --help} and
 * usage errors as picocli answers them: 0 and 2), the command's own exit code otherwise. A setting
 * that is missing or bad ({@link Settings.Invalid}) is printed as one line and exits
 * {@link StageExit#FAILED}, like every other failure to start.
 */
public final class StageCommand {

    private StageCommand() {
    }

    /** The exit code of {@code command} run with {@code args}. */
    public static int execute(Object command, String[] args) {
        CommandLine line = new CommandLine(command);
        line.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof Settings.Invalid) {
                commandLine.getErr().println(commandLine.getCommandName() + ": " + e.getMessage());
                return StageExit.FAILED;
            }
            throw e;
        });
        line.setErr(new PrintWriter(System.err, true));
        return line.execute(args);
    }

    /**
     * For a {@code main}: exits with {@code code} unless it is 0. A long-running stage returns 0 once
     * its shutdown hook stopped it; calling {@code System.exit} then would wait for that hook forever.
     */
    public static void exit(int code) {
        if (code != 0) {
            System.exit(code);
        }
    }
}
