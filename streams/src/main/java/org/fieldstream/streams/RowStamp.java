package org.fieldstream.streams;

import java.time.Instant;

/** What every metric row carries besides its figures: its version, when it was written, and whether its grain is gone. */
record RowStamp(long version, long updatedAtMillis, boolean deleted) {

    Instant updatedAt() {
        return Instant.ofEpochMilli(updatedAtMillis);
    }
}
