package dev.kiln.worker.extraction.page;

import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What any page says about itself outside structured data: Open Graph and standard meta tags, the
 * first {@code <h1>}, {@code <html lang>}. Used to fill what a recipe source lacks.
 */
public final class PageMeta {

  private PageMeta() {}

  public static RawRecipe read(Document document) {
    List<String> images = new ArrayList<>();
    String image = meta(document, "og:image", "twitter:image");
    if (image != null) {
      images.add(image);
    }
    String author = meta(document, "author", "article:author");
    return new RawRecipe(
        title(document),
        meta(document, "og:description", "description", "twitter:description"),
        author == null || author.startsWith("http") ? List.of() : List.of(author),
        language(document),
        images,
        List.of(),
        null,
        null,
        null,
        List.of(),
        List.of(),
        null,
        List.of(),
        List.of(),
        List.of());
  }

  /** The page's title: its first h1, else og:title, else {@code <title>}. */
  public static String title(Document document) {
    Element h1 = document.selectFirst("h1");
    if (h1 != null) {
      String text = HtmlText.text(h1);
      if (!text.isBlank()) {
        return text;
      }
    }
    String og = meta(document, "og:title", "twitter:title");
    return og != null ? og : blankToNull(document.title());
  }

  /** The language declared on {@code <html>}, else in a content-language meta tag. */
  public static String language(Document document) {
    Element html = document.selectFirst("html");
    String lang = html == null ? "" : html.attr("lang");
    if (lang.isBlank() && html != null) {
      lang = html.attr("xml:lang");
    }
    if (lang.isBlank()) {
      Element meta = document.selectFirst("meta[http-equiv~=(?i)content-language][content]");
      lang = meta == null ? "" : meta.attr("content");
    }
    if (lang.isBlank()) {
      String og = meta(document, "og:locale");
      lang = og == null ? "" : og.replace('_', '-');
    }
    return blankToNull(lang);
  }

  /** The content of the first meta tag with one of the given names or properties. */
  public static String meta(Document document, String... names) {
    for (String name : names) {
      for (Element meta : document.select("meta[content]")) {
        if (name.equalsIgnoreCase(meta.attr("property"))
            || name.equalsIgnoreCase(meta.attr("name"))
            || name.equalsIgnoreCase(meta.attr("itemprop"))) {
          String content = meta.attr("content").strip();
          if (!content.isEmpty()) {
            return content;
          }
        }
      }
    }
    return null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
