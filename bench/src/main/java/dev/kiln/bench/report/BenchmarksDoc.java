package dev.kiln.bench.report;

/**
 * Puts the latest results into docs/benchmarks.md between its markers and leaves every other line
 * of the file (its history of findings) as it was.
 */
public final class BenchmarksDoc {

  public static final String BEGIN = "<!-- bench:results:begin -->";
  public static final String END = "<!-- bench:results:end -->";
  static final String HEADING = "## Latest results";

  private BenchmarksDoc() {}

  /**
   * Answers {@code doc} with {@code results} between the markers. A file without markers gets a
   * "Latest results" section before its first second-level heading (or at its end).
   */
  public static String withResults(String doc, String results) {
    String block = BEGIN + "\n" + results.strip() + "\n" + END;
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    if (begin >= 0 && end > begin) {
      return doc.substring(0, begin) + block + doc.substring(end + END.length());
    }
    if (begin >= 0 || end >= 0) {
      throw new IllegalArgumentException(
          "docs/benchmarks.md has one results marker without the other; fix it by hand");
    }
    String section = HEADING + "\n\n" + block + "\n\n";
    int firstSection = doc.startsWith("## ") ? 0 : doc.indexOf("\n## ");
    if (firstSection < 0) {
      return (doc.isEmpty() || doc.endsWith("\n\n") ? doc : doc.stripTrailing() + "\n\n")
          + section.stripTrailing()
          + "\n";
    }
    int at = firstSection == 0 ? 0 : firstSection + 1;
    return doc.substring(0, at) + section + doc.substring(at);
  }
}
