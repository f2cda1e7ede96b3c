package org.fieldstream.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.fieldstream.platform.ProducerPerformanceTool;

/** The run's measurements as figures, each with its baseline and target where it has one. */
final class BenchFigures {

    static final double E2E_TARGET_RATIO = 1.0 / 3;
    static final double FRESHNESS_P99_TARGET_MS = 1000;
    /** Live heap may grow this much from the first checkpoint to the last and still count as flat. */
    static final double FLAT_HEAP_RATIO = 1.25;

    private BenchFigures() {
    }

    /**
     * The freshness probes of a run: the sustainable rate of the probe's events (an unpaced burst
     * over the time until every stage has caught up), the probe paced at half that rate (the
     * target's condition), and the probe paced at half the bulk load's end-to-end rate.
     */
    record Freshness(double sustainableRate, FreshnessProbe.Result atHalfSustainable, FreshnessProbe.Result atHalfBulk) {
    }

    static List<Figure> of(long events, double seconds, double ingestSeconds, long fieldEvents, ProducerPerformanceTool.Total producer,
                           ClickHouseInsertBaseline.Result insert, Freshness freshness, List<MemoryProbe.Sample> memory) {
        List<Figure> figures = new ArrayList<>();
        double e2e = events / seconds;
        double raw = producer.recordsPerSecond();
        figures.add(new Figure("end-to-end events/s (file in -> last metric in ClickHouse)", e2e, "events/s",
                "raw ProducerPerformance", raw, "ratio >= 0.33", e2e / raw >= E2E_TARGET_RATIO));
        figures.add(new Figure("ingest events/s (files -> Kafka, acked)", events / ingestSeconds, "events/s",
                "raw ProducerPerformance", raw, "", null));
        figures.add(new Figure("field_events rows/s, end to end", fieldEvents / seconds, "rows/s",
                "raw clickhouse-client insert", insert.rowsPerSecond(), "", null));
        FreshnessProbe.Result paced = freshness.atHalfSustainable();
        figures.add(new Figure("sustainable rate of the freshness probe's events (burst)", freshness.sustainableRate(),
                "events/s", "", Double.NaN, "", null));
        figures.add(latency(paced, 50, "half of it", ""));
        figures.add(latency(paced, 99, "half of it", "< 1000 ms"));
        figures.add(new Figure("  of which on the committed metric topic, p50", paced.onTopicP50(), "ms", "", Double.NaN, "", null));
        figures.add(new Figure("  of which on the committed metric topic, p99", paced.onTopicP99(), "ms", "", Double.NaN, "", null));
        figures.add(latency(freshness.atHalfBulk(), 50, "half the end-to-end rate", ""));
        figures.add(latency(freshness.atHalfBulk(), 99, "half the end-to-end rate", ""));
        figures.addAll(memory(memory));
        return figures;
    }

    /** A freshness percentile of one probe; with a target, met when every event was seen and the p99 is under it. */
    private static Figure latency(FreshnessProbe.Result probe, int percentile, String rate, String target) {
        double ms = percentile == 50 ? probe.p50() : probe.p99();
        return new Figure(String.format(Locale.ROOT, "freshness p%d at %,.0f events/s (%s)", percentile, probe.rate(), rate), ms, "ms", "",
                Double.NaN, target, target.isEmpty() ? null : probe.unseen() == 0 && ms < FRESHNESS_P99_TARGET_MS);
    }

    /**
     * Per family: p50, p99 and max from push to ClickHouse idle (the p99 against the target, met when
     * every push was seen), the p99 until the committed topic, and p50 and p99 with the load beside.
     */
    static List<Figure> families(List<FamilyFreshness.Summary> idle, List<FamilyFreshness.Summary> loaded, double rate) {
        List<Figure> figures = new ArrayList<>();
        for (FamilyFreshness.Summary s : idle) {
            String name = "freshness of " + s.family().label + ", push -> ClickHouse, idle";
            figures.add(Figure.plain(name + ", p50", s.p50(), "ms"));
            figures.add(new Figure(name + ", p99", s.p99(), "ms", "", Double.NaN, "< 1000 ms",
                    s.unseen() == 0 && s.p99() < FRESHNESS_P99_TARGET_MS));
            figures.add(Figure.plain(name + ", max", s.max(), "ms"));
            figures.add(Figure.plain("  of which on the committed metric topic, p99", s.onTopicP99(), "ms"));
        }
        for (FamilyFreshness.Summary s : loaded) {
            String name = String.format(Locale.ROOT, "freshness of %s, push -> ClickHouse, at %,.0f events/s", s.family().label, rate);
            figures.add(Figure.plain(name + ", p50", s.p50(), "ms"));
            figures.add(Figure.plain(name + ", p99", s.p99(), "ms"));
            figures.add(Figure.plain(name + ", max", s.max(), "ms"));
        }
        return figures;
    }

    /** Per process, the last checkpoint's value against the first one's as baseline. */
    static List<Figure> memory(List<MemoryProbe.Sample> samples) {
        List<Figure> figures = new ArrayList<>();
        List<String> processes = samples.stream().map(MemoryProbe.Sample::process).distinct().toList();
        for (String process : processes) {
            List<MemoryProbe.Sample> own = samples.stream().filter(s -> s.process().equals(process)).toList();
            MemoryProbe.Sample first = own.get(0);
            MemoryProbe.Sample last = own.get(own.size() - 1);
            for (MemoryProbe.Sample s : own) {
                if (!Double.isNaN(s.liveHeapMb())) {
                    figures.add(Figure.plain(process + " live heap at " + count(s.events()) + " events", s.liveHeapMb(), "MB"));
                }
            }
            for (MemoryProbe.Sample s : own) {
                figures.add(Figure.plain(process + " RSS at " + count(s.events()) + " events", s.rssMb(), "MB"));
            }
            if (own.size() > 1 && !Double.isNaN(last.liveHeapMb())) {
                double ratio = last.liveHeapMb() / first.liveHeapMb();
                boolean judged = process.startsWith("streams") || process.equals("sink");
                figures.add(new Figure(process + " live heap growth " + count(first.events()) + " -> " + count(last.events()),
                        last.liveHeapMb(), "MB", "at " + count(first.events()), first.liveHeapMb(),
                        judged ? "ratio <= " + FLAT_HEAP_RATIO : "", judged ? ratio <= FLAT_HEAP_RATIO : null));
            }
        }
        return figures;
    }

    static String count(long events) {
        if (events >= 1_000_000 && events % 100_000 == 0) {
            return (events % 1_000_000 == 0 ? Long.toString(events / 1_000_000) : Double.toString(events / 1e6)) + "M";
        }
        return String.format(Locale.ROOT, "%,d", events);
    }
}
