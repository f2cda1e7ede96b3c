package org.fieldstream.streams;

/**
 * What the aggregate processor forwards: a {@link MetricRow} of one family, or a person's
 * {@link InternalSerdes.ReachChange} for the outreach stage. Each goes to the child that {@link #child()}
 * names; the topology attaches one child per name.
 */
sealed interface AggregateOutput permits MetricRow, InternalSerdes.ReachChange {

    /** The name of the aggregate processor's child that takes this output. */
    String child();
}
