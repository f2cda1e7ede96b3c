package org.fieldstream.platform;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes numbered lines to a {@link RotatingLogFile}: {@code LogWriterMain FILE TAG COUNT MAX_BYTES FILES}. */
public final class LogWriterMain {

    private LogWriterMain() {
    }

    static String line(String tag, int i) {
        return String.format("%s %06d process %s writes one whole line", tag, i, tag);
    }

    public static void main(String[] args) throws Exception {
        String tag = args[1];
        int count = Integer.parseInt(args[2]);
        try (PrintStream out = new PrintStream(new RotatingLogFile(Path.of(args[0]), Long.parseLong(args[3]), Integer.parseInt(args[4])),
                true, StandardCharsets.UTF_8)) {
            for (int i = 1; i <= count; i++) {
                out.println(line(tag, i));
            }
        }
    }
}
