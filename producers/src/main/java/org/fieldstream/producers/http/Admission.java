package org.fieldstream.producers.http;

/**
 * How many batches are processed at once: at most {@code maxBatches}, of which at most
 * {@code maxLarge} have a body over {@code largeBytes} (or of unknown length). A batch beyond either
 * bound is refused at once (503 with Retry-After), so load degrades into refusals instead of memory,
 * threads or time; and small batches keep their own room, never waiting behind large ones.
 */
final class Admission {

    /** A granted place; give it back with {@link #leave}. */
    record Slot(boolean large) {
    }

    private final int maxBatches;
    private final int maxLarge;
    private final long largeBytes;
    private int batches;
    private int large;

    Admission(int maxBatches, int maxLarge, long largeBytes) {
        this.maxBatches = maxBatches;
        this.maxLarge = maxLarge;
        this.largeBytes = largeBytes;
    }

    /** A place for a body of {@code declaredLength} bytes (-1: unknown), or null when none is free. */
    synchronized Slot tryEnter(long declaredLength) {
        boolean isLarge = declaredLength < 0 || declaredLength > largeBytes;
        if (batches >= maxBatches || (isLarge && large >= maxLarge)) {
            return null;
        }
        batches++;
        if (isLarge) {
            large++;
        }
        return new Slot(isLarge);
    }

    synchronized void leave(Slot slot) {
        batches--;
        if (slot.large()) {
            large--;
        }
    }

    synchronized int inProgress() {
        return batches;
    }
}
