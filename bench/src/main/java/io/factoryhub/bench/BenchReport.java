package io.factoryhub.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stage's figures: a readable table (metric, hub, baseline, target, verdict; a stage may measure more columns, as
 * ingest's peer) and the one-line JSON of the contract in ARCHITECTURE.md ({@code stage, hub_per_s, baseline_per_s,
 * ratio, p50_ms, p99_ms, rss_mb} first, then stage-specific fields). Both views come from the same values, so they
 * cannot disagree.
 */
public final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String stage;
    private final List<String> columns;
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    BenchReport(String stage) {
        this(stage, List.of("hub", "baseline"));
    }

    /** With these measured columns between the metric and the target. */
    BenchReport(String stage, List<String> columns) {
        this.stage = stage;
        this.columns = List.copyOf(columns);
        fields.put("stage", stage);
        for (String key : List.of("hub_per_s", "baseline_per_s", "ratio", "p50_ms", "p99_ms", "rss_mb")) {
            fields.put(key, null);
        }
    }

    /** A JSON field; NaN and infinities become null (JSON has no NaN). */
    BenchReport put(String key, Object value) {
        if (value instanceof Double d && !Double.isFinite(d)) {
            value = null;
        } else if (value instanceof Double d) {
            value = Math.round(d * 100.0) / 100.0; // 2 decimals: enough for ms and msg/s, readable
        }
        fields.put(key, value);
        return this;
    }

    /** A table row of the hub and baseline columns; {@code met} null means no target. */
    BenchReport row(String metric, String hub, String baseline, String target, Boolean met) {
        return row(metric, Arrays.asList(hub, baseline), target, met);
    }

    /** A table row with one value per column, in the constructor's order. */
    BenchReport row(String metric, List<String> values, String target, Boolean met) {
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException(metric + ": " + values.size() + " values for columns " + columns);
        }
        String[] row = new String[columns.size() + 3];
        row[0] = metric;
        for (int i = 0; i < values.size(); i++) {
            row[i + 1] = nz(values.get(i));
        }
        row[row.length - 2] = nz(target);
        row[row.length - 1] = met == null ? "" : met ? "MET" : "MISSED";
        rows.add(row);
        return this;
    }

    BenchReport note(String note) {
        notes.add(note);
        return this;
    }

    public boolean allTargetsMet() {
        return rows.stream().noneMatch(r -> r[r.length - 1].equals("MISSED"));
    }

    public void print(PrintWriter out, boolean json) {
        List<String> names = new ArrayList<>();
        names.add("metric");
        names.addAll(columns);
        names.add("target");
        names.add("");
        String[] header = names.toArray(String[]::new);
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] row : rows) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        out.println();
        out.println("factory-hub bench " + stage);
        printRow(out, header, width);
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("-".repeat(w)).append("  ");
        }
        out.println(rule.toString().stripTrailing());
        rows.forEach(row -> printRow(out, row, width));
        notes.forEach(note -> out.println("  * " + note));
        if (json) {
            try {
                out.println(JSON.writeValueAsString(fields));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        out.flush();
    }

    private static void printRow(PrintWriter out, String[] row, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            line.append(String.format(Locale.ROOT, "%-" + width[i] + "s  ", row[i]));
        }
        out.println(line.toString().stripTrailing());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String num(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%,.0f", value) : "n/a";
    }

    static String ms(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f ms", value) : "n/a";
    }

    static String fixed(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "n/a";
    }
}
