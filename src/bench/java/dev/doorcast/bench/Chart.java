package dev.doorcast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** Draws the benchmark's two charts as one SVG: latency percentiles, and server CPU, against viewers. */
final class Chart {

    private static final int W = 460;
    private static final int H = 300;
    private static final int LEFT = 60;
    private static final int TOP = 40;
    private static final int PW = 360;
    private static final int PH = 200;
    private static final String DOORCAST = "#1f6fb4";
    private static final String BASELINE = "#e07b18";

    private Chart() {
    }

    static String svg(List<Bench.Point> points) {
        List<Integer> xs = new ArrayList<>(new TreeSet<>(points.stream().map(Bench.Point::asked)
                .filter(n -> n > 0).toList()));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                2 * W, H + 30));
        double maxMs = points.stream().mapToDouble(Bench.Point::max).filter(d -> !Double.isNaN(d)).max().orElse(100);
        double top = Math.pow(10, Math.ceil(Math.log10(Math.max(10, maxMs))));
        panel(s, 0, "Viewer-receive latency, ms (log scale)", xs, 1, top, true);
        double target = y(100, 1, top, true);
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c00\" "
                + "stroke-dasharray=\"2,3\"/><text x=\"%d\" y=\"%.1f\" fill=\"#c00\" text-anchor=\"end\">"
                + "target p99 100 ms</text>%n", LEFT, LEFT + PW, target, target, LEFT + PW - 4, target - 4));
        line(s, 0, xs, points, "doorcast", Bench.Point::p99, DOORCAST, "", 1, top, true);
        line(s, 0, xs, points, "doorcast", Bench.Point::p50, DOORCAST, "5,4", 1, top, true);
        line(s, 0, xs, points, "baseline", Bench.Point::p99, BASELINE, "", 1, top, true);
        line(s, 0, xs, points, "baseline", Bench.Point::p50, BASELINE, "5,4", 1, top, true);
        panel(s, W, "Server CPU, cores (machine has 2)", xs, 0, 2, false);
        line(s, W, xs, points, "doorcast", Bench.Point::cpuCores, DOORCAST, "", 0, 2, false);
        line(s, W, xs, points, "baseline", Bench.Point::cpuCores, BASELINE, "", 0, 2, false);
        legend(s, 20, H + 12, DOORCAST, "", "doorcast p99 / CPU");
        legend(s, 200, H + 12, DOORCAST, "5,4", "doorcast p50");
        legend(s, 340, H + 12, BASELINE, "", "raw-socket baseline p99 / CPU");
        legend(s, 560, H + 12, BASELINE, "5,4", "baseline p50");
        return s.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder s, int dx, String title, List<Integer> xs, double lo, double hi,
            boolean log) {
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-weight=\"bold\">%s</text>%n", dx + LEFT, title));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", dx + LEFT, TOP, PW, PH));
        List<Double> ticks = new ArrayList<>();
        if (log) {
            for (double t = lo; t <= hi; t *= 10) {
                ticks.add(t);
            }
        } else {
            for (double t = lo; t <= hi + 1e-9; t += (hi - lo) / 4) {
                ticks.add(t);
            }
        }
        for (double t : ticks) {
            double y = y(t, lo, hi, log);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", dx + LEFT, dx + LEFT + PW, y, y,
                    dx + LEFT - 6, y + 4, t == Math.rint(t) ? String.format(Locale.ROOT, "%.0f", t)
                            : String.format(Locale.ROOT, "%.1f", t)));
        }
        for (int i = 0; i < xs.size(); i++) {
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,d</text>%n",
                    dx + x(i, xs.size()), TOP + PH + 16, xs.get(i)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">viewers</text>%n",
                dx + LEFT + PW / 2, TOP + PH + 34));
    }

    private static void line(StringBuilder s, int dx, List<Integer> xs, List<Bench.Point> points, String target,
            ToDoubleFunction<Bench.Point> value, String color, String dash, double lo, double hi, boolean log) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < xs.size(); i++) {
            Bench.Point p = Bench.find(points, target, xs.get(i));
            if (p == null || Double.isNaN(value.applyAsDouble(p))) {
                continue;
            }
            double v = Math.max(lo, Math.min(hi, value.applyAsDouble(p)));
            double px = dx + x(i, xs.size());
            double py = y(v, lo, hi, log);
            path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px, py, color));
        }
        s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                path, color, dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\""));
    }

    private static void legend(StringBuilder s, int x, int y, String color, String dash, String label) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-width=\"2\"%s/><text x=\"%d\" y=\"%d\">%s</text>%n", x, x + 24, y, y, color,
                dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"", x + 30, y + 4, label));
    }

    private static double x(int i, int n) {
        return LEFT + (n == 1 ? PW / 2.0 : 20 + i * (PW - 40.0) / (n - 1));
    }

    private static double y(double v, double lo, double hi, boolean log) {
        double f = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
        return TOP + PH - f * PH;
    }
}
