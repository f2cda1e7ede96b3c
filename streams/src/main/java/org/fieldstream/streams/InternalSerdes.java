package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serde;

/**
 * Serdes of the internal values (state stores and repartition topics), all in the {@link Compact}
 * layout with its format-version byte.
 */
final class InternalSerdes {

    private InternalSerdes() {
    }

    /** A person's reach from one aggregate; {@code reach == null} withdraws it. Keyed program|person. */
    record ReachChange(String aggregate, Reach reach) implements Compact.Writable, AggregateOutput {
        @Override
        public String child() {
            return OutreachTopology.REACH_ROUTE;
        }

        @Override
        public void writeTo(Compact.Writer out) {
            out.writeString(aggregate);
            out.writeBoolean(reach != null);
            if (reach != null) {
                reach.writeTo(out);
            }
        }

        static ReachChange read(Compact.Reader in) {
            String aggregate = in.readString();
            return new ReachChange(aggregate, in.readBoolean() ? Reach.read(in) : null);
        }
    }

    /**
     * Change of one group's outreach cell: its group ({@code sex|age_band}), people reached and
     * newly reached, and how the persons' days in the cell moved (day -> persons entering minus
     * leaving), which gives the cell's as_of.
     */
    record CellDelta(String group, int reached, int newlyReached, Counts days) implements Compact.Writable {
        @Override
        public void writeTo(Compact.Writer out) {
            out.writeString(group);
            out.writeInt(reached);
            out.writeInt(newlyReached);
            days.writeTo(out);
        }

        static CellDelta read(Compact.Reader in) {
            return new CellDelta(in.readString(), in.readInt(), in.readInt(), Counts.read(in));
        }
    }

    /** The changes of the group cells of one base cell ({@code program|period_kind|period|dimension|dimension_id}). */
    record CellDeltas(List<CellDelta> groups) implements Compact.Writable {
        @Override
        public void writeTo(Compact.Writer out) {
            out.writeInt(groups.size());
            groups.forEach(g -> g.writeTo(out));
        }

        static CellDeltas read(Compact.Reader in) {
            int n = in.readInt();
            List<CellDelta> groups = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                groups.add(CellDelta.read(in));
            }
            return new CellDeltas(groups);
        }
    }

    /** A person in a program: the reach each aggregate contributes (by aggregate id) and the resulting placement. */
    record PersonReaches(Map<String, Reach> reaches, Placement placement) implements Compact.Writable {
        @Override
        public void writeTo(Compact.Writer out) {
            out.writeInt(reaches.size());
            reaches.forEach((aggregate, reach) -> {
                out.writeString(aggregate);
                reach.writeTo(out);
            });
            Placement.write(out, placement);
        }

        static PersonReaches read(Compact.Reader in) {
            int n = in.readInt();
            Map<String, Reach> reaches = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                reaches.put(in.readString(), Reach.read(in));
            }
            return new PersonReaches(reaches, Placement.read(in));
        }
    }

    /** A person's placement as the count stage last saw it (null: in no cell). */
    record SentPlacement(Placement placement) implements Compact.Writable {
        @Override
        public void writeTo(Compact.Writer out) {
            Placement.write(out, placement);
        }

        static SentPlacement read(Compact.Reader in) {
            return new SentPlacement(Placement.read(in));
        }
    }

    static Serde<RootRecord> rootRecord() {
        return Compact.serde(RootRecord::read);
    }

    static Serde<PersonState> personState() {
        return PersonStateSerde.serde();
    }

    static Serde<AggregateHeader> header() {
        return AggregateHeaderSerde.serde();
    }

    static Serde<ReachChange> reachChange() {
        return Compact.serde(ReachChange::read);
    }

    static Serde<CellDeltas> cellDeltas() {
        return Compact.serde(CellDeltas::read);
    }

    static Serde<CellCountProcessor.CellState> cellState() {
        return CellStateSerde.serde();
    }

    static Serde<PersonReaches> personReaches() {
        return Compact.serde(PersonReaches::read);
    }

    static Serde<SentPlacement> sentPlacement() {
        return Compact.serde(SentPlacement::read);
    }
}
