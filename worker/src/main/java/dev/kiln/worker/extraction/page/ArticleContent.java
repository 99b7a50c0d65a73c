package dev.kiln.worker.extraction.page;

import java.util.List;

/**
 * The main article of a page that is not a recipe.
 *
 * @param title the article's title
 * @param byline author name(s), or null
 * @param published publication date as the page gives it (ISO 8601 when it has one), or null
 * @param blocks headings, paragraphs and list items in reading order
 */
public record ArticleContent(String title, String byline, String published, List<Block> blocks) {

  public ArticleContent {
    blocks = List.copyOf(blocks);
  }

  /** Kinds of block, mapped one to one onto Markdown. */
  public enum Kind {
    HEADING,
    PARAGRAPH,
    LIST_ITEM,
    ORDERED_ITEM,
    QUOTE,
    CODE
  }

  /**
   * One block of text.
   *
   * @param kind what it is
   * @param level heading level 1-6 for headings, list nesting depth (0 = top) for list items, 0
   *     otherwise
   * @param text the block's text on one line (code keeps its line breaks)
   */
  public record Block(Kind kind, int level, String text) {}

  /** Words over all blocks. */
  public int wordCount() {
    int words = 0;
    for (Block block : blocks) {
      for (String w : block.text().split("\\s+")) {
        if (!w.isBlank()) {
          words++;
        }
      }
    }
    return words;
  }
}
