package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The internal layout: every value round-trips, starts with the format byte, and a value of another format is refused. */
class CompactTest {

    @Test
    void varintsAndStringsRoundTrip() {
        Compact.Writer out = new Compact.Writer(1);
        long[] longs = {0, 1, -1, 63, -64, 64, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE};
        for (long v : longs) {
            out.writeLong(v);
        }
        out.writeString(null);
        out.writeString("");
        out.writeString("ঢাকা|x");
        Compact.Reader in = new Compact.Reader(out.toByteArray());
        long[] back = new long[longs.length];
        for (int i = 0; i < longs.length; i++) {
            back[i] = in.readLong();
        }
        assertArrayEquals(longs, back);
        assertEquals(null, in.readString());
        assertEquals("", in.readString());
        assertEquals("ঢাকা|x", in.readString());
        assertTrue(in.atEnd());
    }

    @Test
    void statesRoundTripAndAnotherFormatIsRefused() {
        PersonState p = new PersonState();
        p.enrolments.add(new PersonState.Enrolment("e1", 20_500, 1, 2));
        p.present.add(3, 2);
        p.addExit(1, EventDays.NONE, 1);
        p.derived = new Derived(Derived.DROPPED_OUT, 1, 2, 20_500, 4, 1, Derived.NO_SESSION, 20_500, 20_510);
        p.rowLive = true;
        p.rowVersion = 1_700_000_000_000L;
        p.sentProgram = "p1";
        p.sentFingerprint = new Reach("p1", new Reach.Attributes("male", "adult_30_plus", 20_500, 1, "p1/ngo/c1", "ngo"),
                List.of(new Reach.Place("2026-03", "ngo", null, 20_514))).fingerprint();
        byte[] bytes = InternalSerdes.personState().serializer().serialize("t", p);
        assertEquals(Compact.FORMAT, bytes[0]);
        PersonState back = InternalSerdes.personState().deserializer().deserialize("t", bytes);
        assertArrayEquals(bytes, InternalSerdes.personState().serializer().serialize("t", back));
        assertEquals(p.derived, back.derived);
        assertEquals(p.sentFingerprint, back.sentFingerprint);
        bytes[0] = (byte) (Compact.FORMAT + 1);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> InternalSerdes.personState().deserializer().deserialize("t", bytes));
        assertTrue(refused.getMessage().contains("state format"), refused.getMessage());
    }

    @Test
    void countsKeepPositiveCountsInKeyOrder() {
        Counts c = new Counts();
        c.add(5, 1);
        c.add(2, 2);
        c.add(9, 1);
        c.add(5, -1);
        assertEquals("{2=2, 9=1}", c.toString());
        assertEquals(1, c.sumFrom(3));
        assertEquals(3, c.sumFrom(2));
        assertThrows(IllegalStateException.class, () -> c.add(9, -2));
        Counts delta = new Counts();
        delta.addSigned(9, -1);
        c.addAll(delta);
        assertEquals("{2=2}", c.toString());
    }
}
