package io.graytorrent.shell.internal;

import java.util.ArrayList;
import java.util.List;

/** "label: value" lines with the values aligned one column past the longest label. */
final class LabelledLines {
    private final List<String[]> lines = new ArrayList<>();

    LabelledLines add(String label, String value) {
        lines.add(new String[] {label + ":", value});
        return this;
    }

    @Override
    public String toString() {
        int width = lines.stream().mapToInt(line -> line[0].length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (String[] line : lines) {
            text.append(line[0]).append(" ".repeat(width - line[0].length() + 1)).append(line[1]).append('\n');
        }
        return text.toString();
    }
}
