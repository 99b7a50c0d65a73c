package dev.kiln.worker.extraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.extraction.RecipeDocument;
import dev.kiln.model.fixtures.RecipeScoring;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Scores extraction against a corpus of saved pages ({@code <host>/<name>.html} with {@code
 * <name>.expected.json}) by the rule in {@link RecipeScoring}, and reports CPU time per page.
 *
 * <p>Usage: {@code CorpusScorer <corpus-dir> [--verbose]}.
 */
public final class CorpusScorer {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws IOException {
    Path corpus = Path.of(args.length > 0 ? args[0] : "/work/shared/recipes");
    boolean verbose = List.of(args).contains("--verbose");
    List<Path> pages;
    try (Stream<Path> files = Files.walk(corpus)) {
      pages = files.filter(p -> p.toString().endsWith(".expected.json")).sorted().toList();
    }
    Map<String, int[]> totals = new LinkedHashMap<>();
    RecipeScoring.FIELDS.forEach(f -> totals.put(f, new int[2]));
    List<String> mismatches = new ArrayList<>();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    long slowestNanos = 0;
    String slowest = "";
    for (Path expectedFile : pages) {
      String name = expectedFile.getFileName().toString().replace(".expected.json", "");
      Path html = expectedFile.resolveSibling(name + ".html");
      JsonNode expected = JSON.readTree(expectedFile.toFile());
      byte[] bytes = Files.readAllBytes(html);
      URI url = pageUrl(expected, expectedFile.getParent().getFileName().toString(), name);
      long start = cpu.getCurrentThreadCpuTime();
      PageExtraction extraction = PageExtractor.extract(bytes, url);
      RecipeDocument document =
          extraction.hasRecipe()
              ? RecipeParser.parse(extraction.recipe(), url, extraction.method())
              : null;
      long nanos = cpu.getCurrentThreadCpuTime() - start;
      if (nanos > slowestNanos) {
        slowestNanos = nanos;
        slowest = html.getFileName() + " (" + bytes.length / 1024 + " KB)";
      }
      String page = expectedFile.getParent().getFileName() + "/" + name;
      for (RecipeScoring.FieldResult r : RecipeScoring.score(document, expected)) {
        if (!r.counted()) {
          continue;
        }
        int[] t = totals.get(r.field());
        t[1]++;
        if (r.matched()) {
          t[0]++;
        } else {
          mismatches.add(describe(page, extraction.method(), r, verbose));
        }
      }
    }
    System.out.println("pages: " + pages.size());
    timing(pages, cpu);
    totals.forEach(
        (field, t) ->
            System.out.printf(
                "%-18s %3d/%3d  %5.1f%%%n", field, t[0], t[1], 100.0 * t[0] / Math.max(1, t[1])));
    System.out.printf(
        "slowest page: %s, %.1f ms CPU (first pass, JIT cold)%n", slowest, slowestNanos / 1e6);
    System.out.println("\nmismatches: " + mismatches.size());
    mismatches.forEach(System.out::println);
  }

  /**
   * CPU time per page with a warm JIT: each page is extracted and parsed five times after the
   * scoring pass and the fastest run counts. Prints the pages around 500 KB and the slowest.
   */
  private static void timing(List<Path> pages, ThreadMXBean cpu) throws IOException {
    List<String> rows = new ArrayList<>();
    double worst = 0;
    String worstPage = "";
    for (Path expectedFile : pages) {
      String name = expectedFile.getFileName().toString().replace(".expected.json", "");
      Path html = expectedFile.resolveSibling(name + ".html");
      byte[] bytes = Files.readAllBytes(html);
      URI url = URI.create("https://example.org/" + name);
      long best = Long.MAX_VALUE;
      for (int run = 0; run < 5; run++) {
        long start = cpu.getCurrentThreadCpuTime();
        PageExtraction extraction = PageExtractor.extract(bytes, url);
        if (extraction.hasRecipe()) {
          RecipeParser.parse(extraction.recipe(), url, extraction.method());
        }
        best = Math.min(best, cpu.getCurrentThreadCpuTime() - start);
      }
      double ms = best / 1e6;
      if (ms > worst) {
        worst = ms;
        worstPage = name + " (" + bytes.length / 1024 + " KB)";
      }
      if (bytes.length > 450_000) {
        rows.add(String.format("  %-40s %4d KB %6.1f ms", name, bytes.length / 1024, ms));
      }
    }
    System.out.println("CPU per page (warm, best of 5), pages over 450 KB:");
    rows.forEach(System.out::println);
    System.out.printf("slowest page warm: %s %.1f ms%n", worstPage, worst);
  }

  private static URI pageUrl(JsonNode expected, String host, String name) {
    String canonical = expected.path("canonical_url").asText("");
    if (canonical.startsWith("http://") || canonical.startsWith("https://")) {
      return URI.create(canonical);
    }
    return URI.create("https://" + host + "/" + name);
  }

  private static String describe(
      String page, String method, RecipeScoring.FieldResult r, boolean verbose) {
    StringBuilder out = new StringBuilder();
    out.append(page).append(" [").append(method).append("] ").append(r.field()).append('\n');
    if (r.expected() instanceof List<?> want && r.actual() instanceof List<?> got) {
      out.append("    expected ").append(want.size()).append(" items, got ").append(got.size());
      int shown = 0;
      for (int i = 0; i < Math.max(want.size(), got.size()) && shown < (verbose ? 50 : 3); i++) {
        Object w = i < want.size() ? want.get(i) : null;
        Object g = i < got.size() ? got.get(i) : null;
        if (!java.util.Objects.equals(w, g)) {
          out.append("\n    #").append(i).append(" exp: ").append(cut(w, verbose));
          out.append("\n    #").append(i).append(" got: ").append(cut(g, verbose));
          shown++;
        }
      }
    } else {
      out.append("    exp: ").append(cut(r.expected(), verbose));
      out.append("\n    got: ").append(cut(r.actual(), verbose));
    }
    return out.toString();
  }

  private static String cut(Object value, boolean verbose) {
    String s = String.valueOf(value);
    return verbose || s.length() <= 110 ? s : s.substring(0, 107) + "...";
  }

  private CorpusScorer() {}
}
