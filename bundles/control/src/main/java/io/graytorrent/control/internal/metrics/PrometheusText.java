package io.graytorrent.control.internal.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes metrics in the Prometheus text exposition format (version 0.0.4): each family once, its
 * {@code # HELP} and {@code # TYPE} lines before its samples, label values escaped.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private final StringBuilder text = new StringBuilder();

    /** A family: its name, its type ({@code gauge} or {@code counter}) and what it measures. */
    PrometheusText family(String name, String type, String help) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        text.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample without labels. */
    PrometheusText sample(String name, double value) {
        return sample(name, Map.of(), value);
    }

    /** One sample; {@code labels} in the order given. */
    PrometheusText sample(String name, Map<String, String> labels, double value) {
        text.append(name);
        if (!labels.isEmpty()) {
            text.append('{');
            String separator = "";
            for (Map.Entry<String, String> label : labels.entrySet()) {
                text.append(separator).append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
                separator = ",";
            }
            text.append('}');
        }
        text.append(' ').append(format(value)).append('\n');
        return this;
    }

    /** A family whose samples differ in one label, one sample per entry of {@code values}. */
    PrometheusText labelled(String name, String type, String help, String label, Map<String, ? extends Number> values) {
        family(name, type, help);
        values.forEach((key, value) -> {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(label, key);
            sample(name, labels, value.doubleValue());
        });
        return this;
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
