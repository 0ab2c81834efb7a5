package dev.doorcast.stats;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import org.jspecify.annotations.Nullable;

/**
 * One device's share of a scrape: the series whose {@code device} label names it. Series of no device (the
 * relay's, the server's own) are the operator's and are left out, and so is any kind of meter doorcast does
 * not make (info, state sets, unknown), rather than passed through unfiltered.
 */
final class DeviceSeries {

    private DeviceSeries() {
    }

    static MetricSnapshots of(MetricSnapshots scraped, String device) {
        Predicate<DataPointSnapshot> ofDevice = point -> device.equals(point.getLabels().get("device"));
        MetricSnapshots.Builder kept = MetricSnapshots.builder();
        for (MetricSnapshot snapshot : scraped) {
            MetricSnapshot filtered = only(snapshot, ofDevice);
            if (filtered != null && !filtered.getDataPoints().isEmpty()) {
                kept.metricSnapshot(filtered);
            }
        }
        return kept.build();
    }

    private static @Nullable MetricSnapshot only(MetricSnapshot snapshot, Predicate<DataPointSnapshot> keep) {
        return switch (snapshot) {
            case CounterSnapshot counter -> new CounterSnapshot(counter.getMetadata(), kept(counter.getDataPoints(), keep));
            case GaugeSnapshot gauge -> new GaugeSnapshot(gauge.getMetadata(), kept(gauge.getDataPoints(), keep));
            case HistogramSnapshot histogram -> new HistogramSnapshot(histogram.isGaugeHistogram(),
                    histogram.getMetadata(), kept(histogram.getDataPoints(), keep));
            case SummarySnapshot summary -> new SummarySnapshot(summary.getMetadata(), kept(summary.getDataPoints(), keep));
            default -> null;
        };
    }

    private static <T extends DataPointSnapshot> List<T> kept(Collection<T> points, Predicate<DataPointSnapshot> keep) {
        return points.stream().filter(keep).toList();
    }
}
