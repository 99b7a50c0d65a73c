package dev.kiln.bench.report;

import dev.kiln.bench.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The results as a table: aligned text for the terminal, Markdown for docs/benchmarks.md. */
public final class ResultTable {

  private static final String[] HEADER = {"Metric", "Measured", "Target", "Met"};

  private ResultTable() {}

  /** A figure with its unit, precise enough to compare and no more; "—" when not measured. */
  public static String figure(double value, String unit) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "—";
    }
    double abs = Math.abs(value);
    String number;
    if (abs >= 100 || value == Math.rint(value)) {
      number = String.format(Locale.ROOT, "%,.0f", value);
    } else if (abs >= 10) {
      number = String.format(Locale.ROOT, "%.1f", value);
    } else {
      number = String.format(Locale.ROOT, "%.2f", value);
    }
    return unit == null || unit.isEmpty() ? number : number + " " + unit;
  }

  static String met(Boolean met) {
    return met == null ? "" : met ? "yes" : "NO";
  }

  static String[] cells(Measurement m) {
    return new String[] {m.name(), figure(m.value(), m.unit()), m.target(), met(m.met())};
  }

  /** Columns padded to their widest cell, then each row's note, numbered to its row. */
  public static String text(List<Measurement> rows) {
    List<String[]> lines = new ArrayList<>();
    lines.add(HEADER);
    rows.forEach(m -> lines.add(cells(m)));
    int[] width = new int[HEADER.length];
    for (String[] line : lines) {
      for (int c = 0; c < line.length; c++) {
        width[c] = Math.max(width[c], line[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < lines.size(); r++) {
      String[] line = lines.get(r);
      StringBuilder row = new StringBuilder(r == 0 ? "    " : String.format("%2d. ", r));
      for (int c = 0; c < line.length; c++) {
        // why: figures right-aligned so their digits line up
        String cell =
            c == 1 ? " ".repeat(width[c] - line[c].length()) + line[c] : pad(line[c], width[c]);
        row.append(cell).append(c + 1 < line.length ? "  " : "");
      }
      out.append(row.toString().stripTrailing()).append('\n');
    }
    out.append('\n');
    for (int r = 0; r < rows.size(); r++) {
      out.append(String.format("%2d. %s%n", r + 1, Objects.toString(rows.get(r).note(), "")));
    }
    return out.toString();
  }

  /** A Markdown table, then the notes as a numbered list. */
  public static String markdown(List<Measurement> rows) {
    StringBuilder out = new StringBuilder("| # | Metric | Measured | Target | Met |\n");
    out.append("| --- | --- | ---: | --- | --- |\n");
    for (int r = 0; r < rows.size(); r++) {
      String[] c = cells(rows.get(r));
      out.append("| ").append(r + 1);
      for (String cell : c) {
        out.append(" | ").append(escape(cell));
      }
      out.append(" |\n");
    }
    out.append('\n');
    for (int r = 0; r < rows.size(); r++) {
      out.append(r + 1).append(". ").append(escape(rows.get(r).note())).append('\n');
    }
    return out.toString();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
