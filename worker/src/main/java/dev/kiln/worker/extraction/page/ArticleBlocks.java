package dev.kiln.worker.extraction.page;

import dev.kiln.worker.extraction.page.ArticleContent.Block;
import dev.kiln.worker.extraction.page.ArticleContent.Kind;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/** Turns the article element into blocks: headings, paragraphs, list items, quotes, code. */
final class ArticleBlocks {

  private static final int MAX_DEPTH = 200;

  private final List<Block> blocks = new ArrayList<>();
  private final String title;

  private ArticleBlocks(String title) {
    this.title = title;
  }

  static List<Block> of(Element article, String title) {
    ArticleBlocks out = new ArticleBlocks(title);
    out.visit(article, 0);
    return out.blocks;
  }

  private int depth;

  private void visit(Element element, int listDepth) {
    // why: pathological nesting is not article structure; beyond this depth text is flattened
    if (++depth > MAX_DEPTH) {
      add(Kind.PARAGRAPH, 0, HtmlText.text(element));
      depth--;
      return;
    }
    StringBuilder loose = new StringBuilder();
    for (Node child : element.childNodes()) {
      if (child instanceof TextNode text) {
        loose.append(text.text());
      } else if (child instanceof Element e) {
        if (!HtmlText.isBlock(e) && !e.normalName().equals("br")) {
          loose.append(HtmlText.text(e)).append(' ');
          continue;
        }
        flush(loose);
        block(e, listDepth);
      }
    }
    flush(loose);
    depth--;
  }

  private void block(Element e, int listDepth) {
    String tag = e.normalName();
    switch (tag) {
      case "h1", "h2", "h3", "h4", "h5", "h6" -> {
        String text = HtmlText.text(e);
        if (!text.isEmpty() && !(blocks.isEmpty() && text.equals(title))) {
          blocks.add(new Block(Kind.HEADING, tag.charAt(1) - '0', text));
        }
      }
      case "p", "figcaption", "dt", "dd", "address" -> paragraph(e);
      case "blockquote" -> add(Kind.QUOTE, 0, HtmlText.text(e));
      case "pre" -> add(Kind.CODE, 0, e.wholeText().strip());
      case "ul", "ol" -> {
        boolean ordered = tag.equals("ol");
        for (Element item : e.children()) {
          if (item.normalName().equals("li")) {
            listItem(item, ordered, listDepth);
          }
        }
      }
      case "li" -> listItem(e, false, listDepth);
      case "table" -> {
        for (Element row : e.select("tr")) {
          add(Kind.PARAGRAPH, 0, HtmlText.text(row));
        }
      }
      case "hr" -> {}
      default -> visit(e, listDepth);
    }
  }

  private void paragraph(Element e) {
    if (ArticleLinks.isMostlyLinks(e)) {
      return;
    }
    add(Kind.PARAGRAPH, 0, HtmlText.text(e));
  }

  private void listItem(Element item, boolean ordered, int depth) {
    if (ArticleLinks.isMostlyLinks(item)) {
      return;
    }
    // the item's own text, without nested lists, which follow one level deeper
    Element own = item.clone();
    own.select("ul, ol").remove();
    add(ordered ? Kind.ORDERED_ITEM : Kind.LIST_ITEM, depth, HtmlText.text(own));
    for (Element nested : item.children()) {
      if (nested.normalName().equals("ul") || nested.normalName().equals("ol")) {
        block(nested, depth + 1);
      }
    }
  }

  private void flush(StringBuilder loose) {
    String text = loose.toString().replaceAll("\\s+", " ").strip();
    if (!text.isEmpty()) {
      add(Kind.PARAGRAPH, 0, text);
    }
    loose.setLength(0);
  }

  private void add(Kind kind, int level, String text) {
    if (text != null && !text.isBlank()) {
      blocks.add(new Block(kind, level, text.strip()));
    }
  }

  /** Link-heavy blocks are menus and "read more" lists, not article text. */
  private static final class ArticleLinks {
    static boolean isMostlyLinks(Element e) {
      int total = HtmlText.text(e).length();
      if (total == 0) {
        return true;
      }
      int links = 0;
      for (Element a : e.select("a")) {
        links += HtmlText.text(a).length();
      }
      return links > 0.6 * total && total < 200;
    }
  }
}
