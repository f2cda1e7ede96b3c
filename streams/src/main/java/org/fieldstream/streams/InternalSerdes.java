package org.fieldstream.streams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Compact binary serdes of the outreach topology's internal values (repartition topics and stores).
 * They never leave the application, so a plain DataOutput layout is enough; a layout change needs a
 * new application id (or a reset), like any change of internal topics.
 */
final class InternalSerdes {

    private InternalSerdes() {
    }

    interface Writer<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /** A person's reach from one aggregate; {@code reach == null} withdraws it. Keyed program|person. */
    record ReachChange(String aggregate, Reach reach) {
    }

    /** Change of one outreach cell: people reached and newly reached, plus the event time behind it. */
    record CellDelta(int reached, int newlyReached, long asOf) {
    }

    /** Running totals of one outreach cell. */
    record CellCount(long reached, long newlyReached, long asOf) {
    }

    static <T> Serde<T> serde(Writer<T> writer, Reader<T> reader) {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : encode(writer, value),
                (topic, bytes) -> bytes == null ? null : decode(reader, bytes));
    }

    static <T> byte[] encode(Writer<T> writer, T value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static <T> T decode(Reader<T> reader, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Serde<Reach> reach() {
        return serde((out, r) -> r.write(out), Reach::read);
    }

    static Serde<ReachChange> reachChange() {
        return serde((out, c) -> {
            out.writeUTF(c.aggregate());
            out.writeBoolean(c.reach() != null);
            if (c.reach() != null) {
                c.reach().write(out);
            }
        }, in -> {
            String aggregate = in.readUTF();
            return new ReachChange(aggregate, in.readBoolean() ? Reach.read(in) : null);
        });
    }

    static Serde<CellDelta> cellDelta() {
        return serde((out, d) -> {
            out.writeInt(d.reached());
            out.writeInt(d.newlyReached());
            out.writeLong(d.asOf());
        }, in -> new CellDelta(in.readInt(), in.readInt(), in.readLong()));
    }

    static Serde<CellCount> cellCount() {
        return serde((out, c) -> {
            out.writeLong(c.reached());
            out.writeLong(c.newlyReached());
            out.writeLong(c.asOf());
        }, in -> new CellCount(in.readLong(), in.readLong(), in.readLong()));
    }

    /** A person in a program: the reach each aggregate contributes (by aggregate id) and the resulting placement. */
    record PersonState(Map<String, Reach> reaches, Placement placement) {
        long asOf() {
            return reaches.values().stream().mapToLong(Reach::asOf).max().orElse(0L);
        }
    }

    /** A person's placement as the count stage last saw it (null: in no cell). */
    record SentPlacement(Placement placement) {
    }

    static Serde<PersonState> personState() {
        return serde((out, state) -> {
            out.writeInt(state.reaches().size());
            for (Map.Entry<String, Reach> e : state.reaches().entrySet()) {
                out.writeUTF(e.getKey());
                e.getValue().write(out);
            }
            Placement.write(out, state.placement());
        }, in -> {
            int n = in.readInt();
            Map<String, Reach> reaches = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                reaches.put(in.readUTF(), Reach.read(in));
            }
            return new PersonState(reaches, Placement.read(in));
        });
    }

    static Serde<SentPlacement> sentPlacement() {
        return serde((out, sent) -> Placement.write(out, sent.placement()), in -> new SentPlacement(Placement.read(in)));
    }

    static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
