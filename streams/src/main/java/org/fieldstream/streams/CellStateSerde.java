package org.fieldstream.streams;

import org.apache.kafka.common.serialization.Serde;

/**
 * The {@link Compact} layout of an outreach cell's {@link CellCountProcessor.CellState}: reached,
 * newly reached, the persons' days, then the row last written: version, live, and its figures
 * (reached, newly reached, as_of day).
 */
final class CellStateSerde {

    private CellStateSerde() {
    }

    static Serde<CellCountProcessor.CellState> serde() {
        return Compact.serde(CellStateSerde::write, CellStateSerde::read);
    }

    static void write(Compact.Writer out, CellCountProcessor.CellState s) {
        out.writeLong(s.reached);
        out.writeLong(s.newlyReached);
        s.days.writeTo(out);
        out.writeLong(s.version);
        out.writeBoolean(s.live);
        out.writeLong(s.emitted.reached());
        out.writeLong(s.emitted.newlyReached());
        out.writeLong(s.emitted.asOfDay());
    }

    static CellCountProcessor.CellState read(Compact.Reader in) {
        CellCountProcessor.CellState s = new CellCountProcessor.CellState();
        s.reached = in.readLong();
        s.newlyReached = in.readLong();
        s.days = Counts.read(in);
        s.version = in.readLong();
        s.live = in.readBoolean();
        s.emitted = new CellCountProcessor.CellFigures(in.readLong(), in.readLong(), in.readInt());
        return s;
    }
}
