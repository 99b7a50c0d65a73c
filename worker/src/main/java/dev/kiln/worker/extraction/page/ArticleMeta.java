package dev.kiln.worker.extraction.page;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** Byline and publication date of an article, from metadata first and visible markup second. */
final class ArticleMeta {

  private static final Pattern BY_PREFIX =
      Pattern.compile("(?i)^(?:by|von|par|door|di|por|av|af)\\s+");
  private static final List<String> ARTICLE_TYPES =
      List.of("Article", "NewsArticle", "BlogPosting", "Report", "ScholarlyArticle", "WebPage");

  private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}");

  private ArticleMeta() {}

  static String byline(Document document, JsonLdReader reader) {
    JsonNode article = jsonLdArticle(reader);
    if (article != null) {
      String name = first(reader.mapper().map(article).authors());
      if (name != null) {
        return name;
      }
    }
    String meta = PageMeta.meta(document, "author", "article:author", "dc.creator", "byl");
    if (meta != null && !meta.startsWith("http")) {
      return clean(meta);
    }
    for (String selector :
        List.of(
            "[itemprop=author] [itemprop=name]",
            "[itemprop=author]",
            "[rel=author]",
            "[class~=(?i)byline|author-name|post-author|entry-author]",
            "address[class~=(?i)author]")) {
      Element element = document.selectFirst(selector);
      if (element != null) {
        String text = clean(HtmlText.text(element));
        if (text != null && text.length() <= 100) {
          return text;
        }
      }
    }
    return null;
  }

  static String published(Document document, JsonLdReader reader) {
    JsonNode article = jsonLdArticle(reader);
    if (article != null && article.hasNonNull("datePublished")) {
      return article.get("datePublished").asText();
    }
    String meta =
        PageMeta.meta(
            document,
            "article:published_time",
            "datePublished",
            "date",
            "pubdate",
            "publishdate",
            "dc.date.issued",
            "dc.date",
            "sailthru.date");
    if (meta != null) {
      return meta;
    }
    for (Element time : document.select("[itemprop=datePublished], time[datetime]")) {
      String value = time.hasAttr("datetime") ? time.attr("datetime") : time.attr("content");
      // why: time elements also carry durations ("PT10M") and times of day
      if (DATE.matcher(value.strip()).find()) {
        return value.strip();
      }
    }
    return null;
  }

  private static JsonNode jsonLdArticle(JsonLdReader reader) {
    for (String type : ARTICLE_TYPES) {
      List<JsonNode> found = reader.objectsOfType(type);
      if (!found.isEmpty()) {
        return found.get(0);
      }
    }
    return null;
  }

  /** The text without a leading "By", "Von", "Par" ... */
  static String withoutBy(String text) {
    return clean(text);
  }

  private static String clean(String text) {
    if (text == null) {
      return null;
    }
    String s = BY_PREFIX.matcher(text.strip()).replaceFirst("").strip();
    return s.isEmpty() ? null : s;
  }

  private static String first(List<String> values) {
    return values.isEmpty() ? null : values.get(0);
  }
}
