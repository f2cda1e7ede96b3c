package org.fieldstream.app;

import java.util.regex.Pattern;

/**
 * The line that tells why a run of a stage ended, picked from its output as it goes by: the last line
 * at WARN or ERROR (as slf4j-simple writes it, {@code time [thread] LEVEL logger - message}) or the
 * JVM's own report of an uncaught exception; the last non-blank line when there is none.
 */
final class LastError {

    private static final Pattern PROBLEM = Pattern.compile("^\\S+ \\[[^\\]]*\\] (WARN|ERROR) .*|^Exception in thread .*");
    private static final int MAX_LENGTH = 300;

    private String lastLine = "";
    private String lastProblem;

    void accept(String line) {
        if (line.isBlank()) {
            return;
        }
        lastLine = line;
        if (PROBLEM.matcher(line).matches()) {
            lastProblem = line;
        }
    }

    /** The line, cut to 300 characters; empty when the run wrote nothing. */
    String line() {
        String line = (lastProblem != null ? lastProblem : lastLine).strip();
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH) + " ...";
    }
}
