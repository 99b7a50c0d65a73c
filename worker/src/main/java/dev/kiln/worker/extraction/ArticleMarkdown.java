package dev.kiln.worker.extraction;

import dev.kiln.worker.extraction.page.ArticleContent;
import dev.kiln.worker.extraction.page.ArticleContent.Block;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Renders an article as Markdown with YAML front matter ({@code title}, {@code source_url}, {@code
 * author} and {@code date} when known, {@code word_count}, {@code section_count}).
 */
public final class ArticleMarkdown {

  // characters that would start Markdown syntax inside a line
  private static final Pattern INLINE = Pattern.compile("([\\\\`*_\\[\\]<>|])");
  // line starts that Markdown reads as a heading, list, quote or rule
  private static final Pattern LINE_START =
      Pattern.compile("^(#{1,6}\\s|[-+*]\\s|>|\\d+[.)]\\s|=+$|-+$)");

  private ArticleMarkdown() {}

  /**
   * @param article the article
   * @param sourceUrl the page it came from, or null for an upload without one
   */
  public static String render(ArticleContent article, URI sourceUrl) {
    StringBuilder out = new StringBuilder();
    out.append("---\n");
    field(out, "title", article.title());
    field(out, "source_url", sourceUrl == null ? null : sourceUrl.toString());
    field(out, "author", article.byline());
    field(out, "date", article.published());
    out.append("word_count: ").append(article.wordCount()).append('\n');
    long sections =
        article.blocks().stream().filter(b -> b.kind() == ArticleContent.Kind.HEADING).count();
    out.append("section_count: ").append(sections).append('\n');
    out.append("---\n");
    if (article.title() != null && !article.title().isBlank()) {
      out.append("\n# ").append(escape(article.title())).append('\n');
    }
    ArticleContent.Kind previous = null;
    for (Block block : article.blocks()) {
      boolean listContinues = isList(block.kind()) && isList(previous);
      out.append(listContinues ? "" : "\n");
      switch (block.kind()) {
        case HEADING ->
            out.append("#".repeat(Math.max(2, Math.min(6, block.level()))))
                .append(' ')
                .append(escape(block.text()))
                .append('\n');
        case PARAGRAPH -> out.append(escape(block.text())).append('\n');
        case LIST_ITEM ->
            out.append("  ".repeat(block.level()))
                .append("- ")
                .append(escape(block.text()))
                .append('\n');
        case ORDERED_ITEM ->
            out.append("   ".repeat(block.level()))
                .append("1. ")
                .append(escape(block.text()))
                .append('\n');
        case QUOTE -> out.append("> ").append(escape(block.text())).append('\n');
        case CODE -> {
          String fence = block.text().contains("```") ? "~~~~" : "```";
          out.append(fence)
              .append('\n')
              .append(block.text())
              .append('\n')
              .append(fence)
              .append('\n');
        }
      }
      previous = block.kind();
    }
    return out.toString();
  }

  private static boolean isList(ArticleContent.Kind kind) {
    return kind == ArticleContent.Kind.LIST_ITEM || kind == ArticleContent.Kind.ORDERED_ITEM;
  }

  /** Escapes text so Markdown shows it literally. */
  static String escape(String text) {
    String s = INLINE.matcher(text).replaceAll("\\\\$1");
    return LINE_START.matcher(s).find() ? "\\" + s : s;
  }

  private static void field(StringBuilder out, String key, String value) {
    if (value != null && !value.isBlank()) {
      out.append(key).append(": ").append(yamlString(value.strip())).append('\n');
    }
  }

  /**
   * A YAML double-quoted scalar: always quoted, so values such as "Title: part 2", "yes", "null",
   * "#1" or "- list" stay strings; backslash, quote and control characters are escaped.
   */
  static String yamlString(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
