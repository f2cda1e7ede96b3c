package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LastErrorTest {

    @Test
    void picksTheLastWarnOrErrorLineOverLaterLines() {
        LastError error = new LastError();
        error.accept("00:46:19.779 [main] INFO org.fieldstream.sink.SinkMain - schema up to date");
        error.accept("00:46:20.001 [fieldstream-sink] WARN org.fieldstream.sink.SinkLoop - batch not written, retry 1");
        error.accept("00:46:21.002 [fieldstream-sink] ERROR org.fieldstream.sink.SinkMain - sink loop died: java.lang.IllegalStateException");
        error.accept("java.lang.IllegalStateException: unexpected failure writing a batch");
        error.accept("\tat org.fieldstream.sink.SinkLoop.settle(SinkLoop.java:220)");
        error.accept("00:46:21.100 [main] INFO org.fieldstream.sink.SinkMain - closing");
        error.accept("");
        assertEquals("00:46:21.002 [fieldstream-sink] ERROR org.fieldstream.sink.SinkMain - sink loop died: java.lang.IllegalStateException",
                error.line());
    }

    @Test
    void takesTheLastLineWhenNothingWasWarnedAndTheJvmsOwnReport() {
        LastError quiet = new LastError();
        quiet.accept("1234 [main] INFO org.fieldstream.streams.StreamsMain - streams state REBALANCING -> RUNNING");
        quiet.accept("   ");
        assertEquals("1234 [main] INFO org.fieldstream.streams.StreamsMain - streams state REBALANCING -> RUNNING", quiet.line());

        LastError crashed = new LastError();
        crashed.accept("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space");
        crashed.accept("\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)");
        assertEquals("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space", crashed.line());

        assertEquals("", new LastError().line());
    }

    @Test
    void cutsLongLines() {
        LastError error = new LastError();
        error.accept("12:00:00.000 [t] ERROR x - " + "y".repeat(1000));
        assertEquals(304, error.line().length());
    }
}
