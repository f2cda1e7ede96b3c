package org.fieldstream.producers;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.fieldstream.events.SettingKeys;

/**
 * Refuses new data before the disk of the data folder (where the local stack's Kafka and ClickHouse
 * keep theirs) runs out: a full Kafka log directory stops the broker, a full ClickHouse disk stops
 * the sink. The limit is the smaller of {@code disk.min.free.bytes} (default 2 GiB) and
 * {@code disk.min.free.percent} (default 5) of the file system; with no {@code data.dir} (Kafka and
 * ClickHouse elsewhere) nothing is checked.
 */
public final class DiskGuard {

    private final Path dataDir;
    private final long minFreeBytes;
    private final int minFreePercent;

    public DiskGuard(Path dataDir, long minFreeBytes, int minFreePercent) {
        this.dataDir = dataDir;
        this.minFreeBytes = minFreeBytes;
        this.minFreePercent = minFreePercent;
    }

    public static DiskGuard of(ProducerSettings settings) {
        return new DiskGuard(settings.path(SettingKeys.DATA_DIR),
                settings.longValue(SettingKeys.DISK_MIN_FREE_BYTES, 0, Long.MAX_VALUE),
                settings.intValue(SettingKeys.DISK_MIN_FREE_PERCENT, 0, 100));
    }

    /** Free space is below the limit: new data is refused. */
    public static final class DiskLow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DiskLow(String message) {
            super(message);
        }
    }

    /** The reason new data is refused now, or null when there is room (or nothing to check). */
    public String refusal() {
        if (dataDir == null || !Files.isDirectory(dataDir)) {
            return null;
        }
        try {
            FileStore store = Files.getFileStore(dataDir);
            long free = store.getUsableSpace();
            long limit = Math.min(minFreeBytes, store.getTotalSpace() / 100 * minFreePercent);
            if (free >= limit) {
                return null;
            }
            return String.format(Locale.ROOT, "only %s free on the disk of %s, below the %s kept free (disk.min.free.bytes,"
                            + " disk.min.free.percent): new data is refused before Kafka or ClickHouse run out of space;"
                            + " free some space (./fieldstream status shows what the data folder uses)",
                    size(free), dataDir, size(limit));
        } catch (IOException e) {
            return null; // a data folder we cannot inspect is not a reason to refuse data
        }
    }

    /** @throws DiskLow when free space is below the limit */
    public void check() {
        String refusal = refusal();
        if (refusal != null) {
            throw new DiskLow(refusal);
        }
    }

    static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }
}
