package dev.kiln.worker.extraction;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * Measures extraction CPU time on generated ~500 KB pages: a blog post with a recipe but no
 * structured data, a long article, a structured recipe among much prose, and a page nested
 * thousands of levels deep. Not a test: timings depend on the machine. Usage: {@code
 * ExtractionTiming}.
 */
public final class ExtractionTiming {

  private static final int TARGET = 500 * 1024;

  public static void main(String[] args) {
    measure("blog post with recipe, no structured data", i -> blogPost(false, i));
    measure("blog post with JSON-LD recipe", i -> blogPost(true, i));
    measure("article", ExtractionTiming::article);
    measure("deeply nested page", i -> nested());
  }

  private static void measure(String name, IntFunction<String> page) {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    String html = page.apply(0);
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    URI url = URI.create("https://example.org/page");
    long first = 0;
    long best = Long.MAX_VALUE;
    String method = "";
    for (int run = 0; run < 8; run++) {
      long start = cpu.getCurrentThreadCpuTime();
      PageExtraction extraction = PageExtractor.extract(bytes, url);
      if (extraction.hasRecipe()) {
        RecipeParser.parse(extraction.recipe(), url, extraction.method());
      } else if (extraction.article() != null) {
        ArticleMarkdown.render(extraction.article(), url);
      }
      long nanos = cpu.getCurrentThreadCpuTime() - start;
      first = run == 0 ? nanos : first;
      best = Math.min(best, nanos);
      method = extraction.method();
    }
    System.out.printf(
        "%-45s %4d KB  method %-9s first %6.1f ms  warm %6.1f ms CPU%n",
        name, bytes.length / 1024, method, first / 1e6, best / 1e6);
  }

  private static String blogPost(boolean jsonLd, int seed) {
    StringBuilder out = new StringBuilder("<html lang=\"en\"><head><title>Soup</title>");
    if (jsonLd) {
      out.append("<script type=\"application/ld+json\">{\"@type\":\"Recipe\",\"name\":\"Soup\",")
          .append("\"recipeIngredient\":[");
      for (int i = 0; i < 15; i++) {
        out.append(i == 0 ? "" : ",")
            .append("\"")
            .append(i + 1)
            .append(" cups stock ")
            .append(i)
            .append("\"");
      }
      out.append(
          "],\"recipeInstructions\":[{\"@type\":\"HowToStep\",\"text\":\"Simmer.\"}]}</script>");
    }
    out.append("</head><body><nav><ul>");
    for (int i = 0; i < 200; i++) {
      out.append("<li><a href=\"/c/")
          .append(i)
          .append("\">Category ")
          .append(i)
          .append("</a></li>");
    }
    out.append("</ul></nav><main><article><h1>Soup</h1>");
    int paragraph = 0;
    while (out.length() < TARGET / 2) {
      out.append("<p>Paragraph ")
          .append(paragraph++)
          .append(
              " about soup, with stock, vegetables, and patience; it takes time, care, and salt.</p>");
      if (paragraph % 20 == 0) {
        out.append("<h2>Section ").append(paragraph).append("</h2>");
      }
    }
    out.append("<div class=\"recipe-card\"><h2>Ingredients</h2><h3>For the soup</h3><ul>");
    for (int i = 0; i < 15; i++) {
      out.append("<li><span>")
          .append(i + 1)
          .append("</span> <span>cups</span> <span>stock ")
          .append(i)
          .append("</span></li>");
    }
    out.append("</ul><h2>Instructions</h2><ol>");
    for (int i = 0; i < 10; i++) {
      out.append("<li>Simmer the stock for ").append(i + 5).append(" minutes, stirring.</li>");
    }
    out.append("</ol></div></article><section id=\"comments\">");
    int comment = 0;
    while (out.length() < TARGET) {
      out.append("<div class=\"comment\"><p>Comment ")
          .append(comment++)
          .append(": lovely soup, made it twice, added more salt and it was great.</p></div>");
    }
    return out.append("</section><footer>Footer</footer></body></html>").toString();
  }

  private static String article(int seed) {
    StringBuilder out =
        new StringBuilder(
                "<html><head><title>Long read</title><meta name=\"author\" content=\"A\">")
            .append("</head><body><header><nav><a href=\"/\">Home</a></nav></header>")
            .append("<div class=\"layout\"><article><h1>Long read</h1>");
    int paragraph = 0;
    while (out.length() < TARGET * 0.8) {
      out.append("<p>Paragraph ")
          .append(paragraph++)
          .append(" of a long read, with clauses, commas, and <a href=\"#\">a link</a> in it.</p>");
      if (paragraph % 15 == 0) {
        out.append("<h2>Part ")
            .append(paragraph)
            .append("</h2><ul><li>One point</li><li>Another</li></ul>");
      }
    }
    out.append("</article><aside class=\"sidebar\">");
    while (out.length() < TARGET) {
      out.append("<p><a href=\"/x\">Related story number ").append(paragraph++).append("</a></p>");
    }
    return out.append("</aside></div><footer>Footer</footer></body></html>").toString();
  }

  private static String nested() {
    StringBuilder out = new StringBuilder("<html><body>");
    int depth = 20_000;
    out.append("<div>".repeat(depth))
        .append("<h2>Ingredients</h2><ul><li>1 egg</li><li>salt</li></ul>");
    out.append("<h2>Method</h2><p>Boil the egg for eight minutes.</p>")
        .append("</div>".repeat(depth));
    while (out.length() < TARGET) {
      out.append("<p>Filler text for the nested page, repeated to reach the size.</p>");
    }
    return out.append("</body></html>").toString();
  }

  private ExtractionTiming() {}
}
