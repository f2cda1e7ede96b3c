package org.fieldstream.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code fieldstream ingest} process in miniature: {@link ProcessLog} installed as {@link FieldStream#main}
 * does, then {@code COUNT} log lines, one result line on standard output and one error on the console.
 * Usage: {@code ProcessLogWriterMain TAG COUNT} with {@code -Dfieldstream.log.dir=DIR}.
 */
public final class ProcessLogWriterMain {

    private ProcessLogWriterMain() {
    }

    public static void main(String[] args) {
        ProcessLog.install(new String[] {"ingest", "--program", "p"}, System.getenv());
        Logger log = LoggerFactory.getLogger(ProcessLogWriterMain.class);
        String tag = args[0];
        for (int i = 1; i <= Integer.parseInt(args[1]); i++) {
            log.info("{} log line {}", tag, i);
        }
        System.out.println(tag + " result on the console");
        ProcessLog.console().println(tag + " error on the console");
    }
}
