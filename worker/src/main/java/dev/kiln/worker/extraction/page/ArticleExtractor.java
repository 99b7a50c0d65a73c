package dev.kiln.worker.extraction.page;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;

/**
 * Finds the main article of a page, readability style: chrome (navigation, headers, footers,
 * sidebars, comments, scripts) is dropped, paragraphs score their ancestors by text length and
 * commas, and the ancestor with the best score, discounted by its share of link text, is the
 * article.
 */
public final class ArticleExtractor {

  private static final Pattern UNLIKELY =
      Pattern.compile(
          "(?i)-ad-|\\bads?\\b|banner|breadcrumb|combx|comment|community|cookie|consent|disqus"
              + "|footer|gdpr|header|masthead|menu|modal|nav|newsletter|pager|pagination|popup"
              + "|promo|related|remark|replies|share|sharing|shoutbox|sidebar|skyscraper|social"
              + "|sponsor|subscribe|widget");
  private static final Pattern MAYBE =
      Pattern.compile("(?i)\\band\\b|article|body|column|content|main|post|entry|story");
  private static final Pattern POSITIVE =
      Pattern.compile(
          "(?i)article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story");
  private static final Pattern NEGATIVE =
      Pattern.compile(
          "(?i)hidden|banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|masthead|media"
              + "|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor"
              + "|shopping|tags|tool|widget");
  private static final String CHROME =
      "script, style, noscript, template, svg, iframe, form, button, input, select, textarea,"
          + " nav, aside, footer, dialog, [hidden], [role=navigation], [role=banner],"
          + " [role=contentinfo], [role=complementary], [role=search], [role=dialog],"
          + " [aria-modal=true]";

  private ArticleExtractor() {}

  /** The page's main article, or null when it has no substantial text. */
  public static ArticleContent extract(Document document) {
    return extract(document, new JsonLdReader(document));
  }

  /** As {@link #extract(Document)}, reusing the page's already parsed JSON-LD. */
  public static ArticleContent extract(Document document, JsonLdReader jsonLd) {
    if (document.body() == null) {
      return null;
    }
    String title = PageMeta.title(document);
    String byline = ArticleMeta.byline(document, jsonLd);
    String published = ArticleMeta.published(document, jsonLd);

    Document copy = document.clone();
    Element body = copy.body();
    body.select(CHROME).remove();
    for (Element header : body.select("header")) {
      if (header.closest("article, main") == null) {
        header.remove();
      }
    }
    removeUnlikely(body);
    Element top = topCandidate(body);
    if (top == null) {
      return null;
    }
    List<ArticleContent.Block> blocks = new ArrayList<>(ArticleBlocks.of(top, title));
    // the byline is front matter, not body text
    blocks.removeIf(b -> byline != null && byline.equals(ArticleMeta.withoutBy(b.text())));
    ArticleContent article = new ArticleContent(title, byline, published, blocks);
    return article.wordCount() < 20 ? null : article;
  }

  private static void removeUnlikely(Element body) {
    List<Element> doomed = new ArrayList<>();
    for (Element element : body.getAllElements()) {
      String tag = element.normalName();
      if (tag.equals("body") || tag.equals("article") || tag.equals("main")) {
        continue;
      }
      String names = element.className() + " " + element.id();
      if (names.isBlank()) {
        continue;
      }
      boolean comments = names.toLowerCase(java.util.Locale.ROOT).contains("comment");
      if (UNLIKELY.matcher(names).find() && (comments || !MAYBE.matcher(names).find())) {
        doomed.add(element);
      }
    }
    for (Element element : doomed) {
      element.remove();
    }
  }

  private static Element topCandidate(Element body) {
    Map<Element, int[]> stats = textStats(body);
    Map<Element, Double> scores = new HashMap<>();
    for (Element paragraph : body.select("p, pre, td, blockquote, li")) {
      String text = HtmlText.text(paragraph);
      if (text.length() < 25) {
        continue;
      }
      double score = 1 + text.split("[,，、]", -1).length - 1 + Math.min(text.length() / 100.0, 3);
      Element ancestor = paragraph.parent();
      for (int level = 0; level < 3 && ancestor != null; level++) {
        Element a = ancestor;
        double share = level == 0 ? 1 : level == 1 ? 0.5 : 1.0 / (level * 3);
        scores.merge(a, initial(a) + score * share, (old, add) -> old + score * share);
        ancestor = ancestor.parent();
      }
    }
    Element best = null;
    double bestScore = 0;
    for (Map.Entry<Element, Double> e : scores.entrySet()) {
      double score = e.getValue() * (1 - linkDensity(stats, e.getKey()));
      if (score > bestScore) {
        bestScore = score;
        best = e.getKey();
      }
    }
    // why: a lone winning paragraph list often sits in a wrapper that also holds the headings
    while (best != null
        && best.parent() != null
        && !best.normalName().equals("body")
        && length(stats, best) < 0.6 * length(stats, best.parent())
        && scores.getOrDefault(best.parent(), 0.0) * (1 - linkDensity(stats, best.parent()))
            >= bestScore * 0.6) {
      best = best.parent();
    }
    return best;
  }

  private static double initial(Element element) {
    double score =
        switch (element.normalName()) {
          case "article" -> 10;
          case "main" -> 8;
          case "div", "section" -> 5;
          case "pre", "td", "blockquote" -> 3;
          case "ol", "ul", "dl", "dd", "dt", "li", "form" -> -3;
          case "h1", "h2", "h3", "h4", "h5", "h6", "th" -> -5;
          default -> 0;
        };
    String names = element.className() + " " + element.id();
    if (!names.isBlank()) {
      if (POSITIVE.matcher(names).find()) {
        score += 25;
      }
      if (NEGATIVE.matcher(names).find()) {
        score -= 25;
      }
    }
    return score;
  }

  /** Share of an element's visible text that sits in links. */
  public static double linkDensity(Element element) {
    int total = HtmlText.text(element).length();
    if (total == 0) {
      return 0;
    }
    int links = 0;
    for (Element a : element.select("a")) {
      links += HtmlText.text(a).length();
    }
    return Math.min(1, (double) links / total);
  }

  /**
   * Text and link-text length of every element, in one pass: the page's text is counted once per
   * ancestor instead of once per candidate, which keeps large pages linear in practice.
   */
  private static Map<Element, int[]> textStats(Element root) {
    Map<Element, int[]> stats = new HashMap<>();
    NodeTraversor.traverse(
        (node, depth) -> {
          if (node instanceof TextNode text) {
            int length = text.text().strip().length();
            if (length == 0) {
              return;
            }
            boolean inLink = false;
            for (Element e = text.parent() instanceof Element p ? p : null;
                e != null;
                e = e.parent()) {
              inLink |= e.normalName().equals("a");
              int[] s = stats.computeIfAbsent(e, k -> new int[2]);
              s[0] += length;
              if (inLink) {
                s[1] += length;
              }
              if (e == root) {
                break;
              }
            }
          }
        },
        root);
    return stats;
  }

  private static int length(Map<Element, int[]> stats, Element element) {
    int[] s = stats.get(element);
    return s == null ? 0 : s[0];
  }

  /** Share of an element's text that sits in links. */
  private static double linkDensity(Map<Element, int[]> stats, Element element) {
    int[] s = stats.get(element);
    return s == null || s[0] == 0 ? 0 : Math.min(1, (double) s[1] / s[0]);
  }
}
