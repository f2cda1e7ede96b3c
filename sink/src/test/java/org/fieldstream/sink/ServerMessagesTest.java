package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ServerMessagesTest {

    @Test
    void keepsCodeAndKindButNeverTheQuotedInput() {
        String parse = "Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected \\t before: Rahima Begum\\t01711000000";
        assertEquals("Code: 27 Cannot parse input", ServerMessages.summary(parse));
        String current = "Code: 6. DB::Exception: Cannot parse string '9999-12-31' as Date: syntax error. (CANNOT_PARSE_TEXT)";
        assertEquals("Code: 6 Cannot parse string", ServerMessages.summary(current));
    }

    @Test
    void saysSoWhenThereIsNothingToKeep() {
        assertEquals("no message", ServerMessages.summary(null));
        assertEquals("no code", ServerMessages.summary("connection reset"));
    }
}
