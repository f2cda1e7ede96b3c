package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * What one aggregate (a cohort or a dialogue) contributes to one person's outreach: the months the
 * person was reached there (with the partner and org unit of the activity, and the first day of the
 * month they were reached there) and, when the aggregate records them, the person's sex and age band
 * as of a date, as recorded by the aggregate's partner.
 */
record Reach(String program, Attributes attributes, List<Place> places) implements Compact.Writable {

    /** A month in which the person was reached, with where and by whom, and the first day reached there that month. */
    record Place(String month, String partner, String orgUnit, int firstDay) {
        static final Comparator<Place> ORDER = Comparator.comparing(Place::month).thenComparing(Place::partner)
                .thenComparing(p -> p.orgUnit() == null ? "" : p.orgUnit());
    }

    /**
     * Sex and age band as recorded on {@code epochDay} in aggregate {@code source} of {@code partner}.
     * Most recent wins; on the same day an enrolment (rank 1) wins over a dialogue attendance (rank
     * 0), then the greater aggregate id.
     */
    record Attributes(String sex, String ageBand, long epochDay, int rank, String source, String partner) {
        static final int ENROLMENT = 1;
        static final int DIALOGUE = 0;
        static final Comparator<Attributes> RECENCY = Comparator.comparingLong(Attributes::epochDay)
                .thenComparingInt(Attributes::rank).thenComparing(Attributes::source);
    }

    /** Places in canonical order, one per (month, partner, org unit), with the earliest first day. */
    static Reach sorted(String program, Attributes attributes, List<Place> places) {
        TreeSet<Place> merged = new TreeSet<>(Place.ORDER);
        for (Place p : places) {
            Place same = merged.ceiling(p);
            if (same != null && Place.ORDER.compare(same, p) == 0) {
                if (p.firstDay() < same.firstDay()) {
                    merged.remove(same);
                    merged.add(p);
                }
            } else {
                merged.add(p);
            }
        }
        return new Reach(program, attributes, List.copyOf(merged));
    }

    /**
     * A 64-bit FNV-1a hash of the reach's encoding, never 0: what a person's state keeps of the reach
     * last sent, to tell whether it changed (two different reaches share it with probability 2^-64).
     */
    long fingerprint() {
        Compact.Writer out = new Compact.Writer(96);
        writeTo(out);
        byte[] bytes = out.toByteArray();
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }

    @Override
    public void writeTo(Compact.Writer out) {
        out.writeString(program);
        out.writeBoolean(attributes != null);
        if (attributes != null) {
            out.writeString(attributes.sex());
            out.writeString(attributes.ageBand());
            out.writeLong(attributes.epochDay());
            out.writeByte(attributes.rank());
            out.writeString(attributes.source());
            out.writeString(attributes.partner());
        }
        out.writeInt(places.size());
        for (Place p : places) {
            out.writeString(p.month());
            out.writeString(p.partner());
            out.writeString(p.orgUnit());
            out.writeInt(p.firstDay());
        }
    }

    static Reach read(Compact.Reader in) {
        String program = in.readString();
        Attributes attributes = null;
        if (in.readBoolean()) {
            attributes = new Attributes(in.readString(), in.readString(), in.readLong(), in.readByte(), in.readString(),
                    in.readString());
        }
        int n = in.readInt();
        List<Place> places = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            places.add(new Place(in.readString(), in.readString(), in.readString(), in.readInt()));
        }
        return new Reach(program, attributes, List.copyOf(places));
    }
}
