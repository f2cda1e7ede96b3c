package org.fieldstream.seeds;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The day each file of a generated scenario is delivered ({@code delivery.csv}, in delivery order), so
 * that receipt times, and with them timeliness and late edits, are part of the scenario. Partners send
 * a month's regular files on the 3rd of the next month (before the 10th, the default reporting
 * deadline) and a month's corrections file, which corrects the month before, on the 8th of its own
 * month (on time for the corrected month); the last month's corrections, which also carry corrections
 * of that month itself, come with the closing delivery on the 8th of the month after it, so the
 * previous month's edits in them are late. The manifest's two twists keep their meaning: the file
 * pushed twice comes again two months after its first delivery, and the late upload comes on the 20th
 * of the month after the last. Every delivery is at 10:00 in Asia/Dhaka.
 */
public final class DeliveryPlan {

    public static final ZoneId ZONE = ZoneId.of("Asia/Dhaka");
    static final LocalTime AT = LocalTime.of(10, 0);

    /** One delivery of a file: relative path and day. */
    public record Delivery(String file, LocalDate day) {
        /** 10:00 in Asia/Dhaka on the day: the ingest clock of this delivery. */
        public Instant instant() {
            return day.atTime(AT).atZone(ZONE).toInstant();
        }
    }

    private DeliveryPlan() {
    }

    /** The deliveries of the manifest's entries, by day (entries of one day in manifest order). */
    static List<Delivery> of(List<String> manifest, String lateUpload) {
        List<Delivery> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < manifest.size(); i++) {
            String file = manifest.get(i);
            LocalDate day = regular(file);
            if (!seen.add(file)) {
                day = day.plusMonths(2);
            } else if (file.equals(lateUpload) && i == manifest.size() - 1) {
                day = Emitter.LAST_MONTH.plusMonths(1).atDay(20);
            }
            out.add(new Delivery(file, day));
        }
        List<Delivery> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing(Delivery::day));
        return List.copyOf(sorted);
    }

    private static LocalDate regular(String file) {
        YearMonth folder = YearMonth.parse(file.split("/")[1]);
        if (file.contains("_corrections.")) {
            return folder.equals(Emitter.LAST_MONTH) ? folder.plusMonths(1).atDay(8) : folder.atDay(8);
        }
        return folder.plusMonths(1).atDay(3);
    }

    static void write(Path file, List<Delivery> plan) {
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write("file,delivered_on\n");
                for (Delivery d : plan) {
                    w.write(CsvLine.format(List.of(d.file(), d.day().toString())));
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a {@code delivery.csv} written by the generator. */
    public static List<Delivery> read(Path file) {
        List<Delivery> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    int comma = line.lastIndexOf(',');
                    out.add(new Delivery(line.substring(0, comma), LocalDate.parse(line.substring(comma + 1))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
