package org.fieldstream.sink;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What may be kept of a ClickHouse error about a row: its code and the kind of failure, never the
 * rest. Parse errors quote the offending input ("Cannot parse input: expected '\t' before: ..."),
 * which may hold anything a partner sent, so a dead letter's reason and the sink's log keep
 * only "Code: 27 Cannot parse input".
 */
final class ServerMessages {

    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");
    private static final Pattern KIND = Pattern.compile("DB::Exception: ([^:.(\\n']{1,80})");

    private ServerMessages() {
    }

    /** ClickHouse's code for a disk without room for a part (NOT_ENOUGH_SPACE). */
    static final int NOT_ENOUGH_SPACE = 243;

    /**
     * True when a failure says ClickHouse's disk is full: code 243 (NOT_ENOUGH_SPACE), or the
     * operating system's "No space left on device" that a write of a part can end with.
     */
    static boolean diskFull(String message) {
        if (message == null) {
            return false;
        }
        Matcher code = CODE.matcher(message);
        return (code.find() && Integer.parseInt(code.group(1)) == NOT_ENOUGH_SPACE) || message.contains("NOT_ENOUGH_SPACE")
                || message.contains("No space left on device");
    }

    static String summary(String message) {
        if (message == null) {
            return "no message";
        }
        Matcher code = CODE.matcher(message);
        Matcher kind = KIND.matcher(message);
        String codePart = code.find() ? "Code: " + code.group(1) : "no code";
        return kind.find() ? codePart + " " + kind.group(1).trim() : codePart;
    }
}
