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
    void aFullDiskIsToldByItsCodeOrTheSystemsWords() {
        assertEquals(true, ServerMessages.diskFull("Code: 243, e.displayText() = DB::Exception: Cannot reserve 1.00 MiB, not enough space"));
        assertEquals(true, ServerMessages.diskFull("Code: 243. DB::Exception: Cannot reserve 1.00 MiB, not enough space. (NOT_ENOUGH_SPACE)"));
        assertEquals(true, ServerMessages.diskFull("Code: 1001, e.displayText() = std::exception: Cannot write to file: No space left on device"));
        assertEquals(false, ServerMessages.diskFull("Code: 241, e.displayText() = DB::Exception: Memory limit exceeded"));
        assertEquals(false, ServerMessages.diskFull("Code: 2430 something else"));
        assertEquals(false, ServerMessages.diskFull(null));
    }

    @Test
    void saysSoWhenThereIsNothingToKeep() {
        assertEquals("no message", ServerMessages.summary(null));
        assertEquals("no code", ServerMessages.summary("connection reset"));
    }
}
