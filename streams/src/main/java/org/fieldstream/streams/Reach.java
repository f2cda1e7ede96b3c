package org.fieldstream.streams;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one aggregate (a cohort or a dialogue) contributes to one person's outreach: the months the
 * person was reached there (with the partner and org unit of the activity) and, when the aggregate
 * records them, the person's sex and age band as of a date.
 */
record Reach(String program, Attributes attributes, List<Place> places, long asOf) {

    /** A month in which the person was reached, with where and by whom. */
    record Place(String month, String partner, String orgUnit) {
        static final Comparator<Place> ORDER = Comparator.comparing(Place::month).thenComparing(Place::partner)
                .thenComparing(p -> p.orgUnit() == null ? "" : p.orgUnit());
    }

    /**
     * Sex and age band as recorded on {@code epochDay} in aggregate {@code source}. Most recent wins;
     * on the same day an enrolment (rank 1) wins over a dialogue attendance (rank 0), then the
     * greater aggregate id.
     */
    record Attributes(String sex, String ageBand, long epochDay, int rank, String source) {
        static final int ENROLMENT = 1;
        static final int DIALOGUE = 0;
        static final Comparator<Attributes> RECENCY = Comparator.comparingLong(Attributes::epochDay)
                .thenComparingInt(Attributes::rank).thenComparing(Attributes::source);
    }

    /** Equal apart from asOf: the person's cells cannot have changed. */
    boolean sameAs(Reach other) {
        return other != null && program.equals(other.program) && java.util.Objects.equals(attributes, other.attributes)
                && places.equals(other.places);
    }

    static Reach sorted(String program, Attributes attributes, List<Place> places, long asOf) {
        java.util.TreeSet<Place> copy = new java.util.TreeSet<>(Place.ORDER);
        copy.addAll(places);
        return new Reach(program, attributes, List.copyOf(copy), asOf);
    }

    void write(DataOutputStream out) throws IOException {
        out.writeUTF(program);
        out.writeBoolean(attributes != null);
        if (attributes != null) {
            out.writeUTF(attributes.sex());
            out.writeUTF(attributes.ageBand());
            out.writeLong(attributes.epochDay());
            out.writeInt(attributes.rank());
            out.writeUTF(attributes.source());
        }
        out.writeInt(places.size());
        for (Place p : places) {
            out.writeUTF(p.month());
            out.writeUTF(p.partner());
            InternalSerdes.writeNullable(out, p.orgUnit());
        }
        out.writeLong(asOf);
    }

    static Reach read(DataInputStream in) throws IOException {
        String program = in.readUTF();
        Attributes attributes = null;
        if (in.readBoolean()) {
            attributes = new Attributes(in.readUTF(), in.readUTF(), in.readLong(), in.readInt(), in.readUTF());
        }
        int n = in.readInt();
        List<Place> places = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            places.add(new Place(in.readUTF(), in.readUTF(), InternalSerdes.readNullable(in)));
        }
        return new Reach(program, attributes, List.copyOf(places), in.readLong());
    }
}
