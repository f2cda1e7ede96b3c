package org.fieldstream.producers.http;

import java.util.HashMap;
import java.util.Map;

/**
 * How many batches are processed at once: at most {@code maxBatches}, of which at most
 * {@code maxLarge} have a body over {@code largeBytes} (or of unknown length), and at most
 * {@code maxPerPartner} come from one partner. A batch beyond any bound is refused at once (503 with
 * Retry-After), so load degrades into refusals instead of memory, threads or time; small batches keep
 * their own room, never waiting behind large ones; and one partner sending many (or slow) batches
 * fills its own share only, never the others'.
 */
final class Admission {

    /** A granted place; give it back with {@link #leave}. */
    record Slot(String partner, boolean large) {
    }

    /** Why no place was granted. */
    enum Refusal {
        /** the partner holds its whole share */
        PARTNER_SHARE,
        /** the endpoint is at one of its own bounds */
        ENDPOINT
    }

    private final int maxBatches;
    private final int maxLarge;
    private final int maxPerPartner;
    private final long largeBytes;
    private final Map<String, Integer> perPartner = new HashMap<>();
    private int batches;
    private int large;

    Admission(int maxBatches, int maxLarge, int maxPerPartner, long largeBytes) {
        this.maxBatches = maxBatches;
        this.maxLarge = maxLarge;
        this.maxPerPartner = maxPerPartner;
        this.largeBytes = largeBytes;
    }

    /** A place for {@code partner}'s body of {@code declaredLength} bytes (-1: unknown), or null when none is free. */
    synchronized Slot tryEnter(String partner, long declaredLength) {
        return refusal(partner, declaredLength) == null ? enter(partner, declaredLength) : null;
    }

    /** Why {@link #tryEnter} would refuse now, or null when it would grant a place. */
    synchronized Refusal refusal(String partner, long declaredLength) {
        if (perPartner.getOrDefault(partner, 0) >= maxPerPartner) {
            return Refusal.PARTNER_SHARE;
        }
        boolean isLarge = isLarge(declaredLength);
        if (batches >= maxBatches || (isLarge && large >= maxLarge)) {
            return Refusal.ENDPOINT;
        }
        return null;
    }

    private Slot enter(String partner, long declaredLength) {
        boolean isLarge = isLarge(declaredLength);
        batches++;
        if (isLarge) {
            large++;
        }
        perPartner.merge(partner, 1, Integer::sum);
        return new Slot(partner, isLarge);
    }

    private boolean isLarge(long declaredLength) {
        return declaredLength < 0 || declaredLength > largeBytes;
    }

    synchronized void leave(Slot slot) {
        batches--;
        if (slot.large()) {
            large--;
        }
        perPartner.computeIfPresent(slot.partner(), (p, n) -> n == 1 ? null : n - 1);
    }

    synchronized int inProgress() {
        return batches;
    }
}
