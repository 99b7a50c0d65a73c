package dev.kiln.worker.extraction.page;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * Text of an element the way a reader sees it: block elements and {@code <br>} end a line, runs of
 * whitespace (including no-break spaces) collapse inside a line.
 */
public final class HtmlText {

  /** Elements whose content is never visible text. */
  static final Set<String> INVISIBLE =
      Set.of(
          "script",
          "style",
          "noscript",
          "template",
          "svg",
          "button",
          "select",
          "textarea",
          "input",
          "iframe",
          "object",
          "head",
          "canvas",
          "video",
          "audio",
          "math");

  private static final Set<String> BLOCK =
      Set.of(
          "p",
          "div",
          "li",
          "ul",
          "ol",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "tr",
          "table",
          "section",
          "article",
          "header",
          "footer",
          "aside",
          "nav",
          "blockquote",
          "pre",
          "dl",
          "dt",
          "dd",
          "figure",
          "figcaption",
          "form",
          "hr",
          "main",
          "address",
          "details",
          "summary",
          "fieldset",
          "legend",
          "caption",
          "body",
          "center",
          "tbody",
          "thead",
          "tfoot");

  /** Elements that mark a line as a heading when they hold all of its text. */
  private static final Set<String> EMPHASIS =
      Set.of("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "dt", "legend", "caption");

  private static final Pattern SCREEN_READER_ONLY =
      Pattern.compile(
          "(?i)(?:^|\\s)(?:sr-only|screen-reader-text|visually-?hidden|screenreader|a11y-hidden)(?:\\s|$)");

  private HtmlText() {}

  /**
   * One line of visible text.
   *
   * @param text the line, whitespace collapsed and trimmed, never empty
   * @param emphasised all of the line's text sits in a heading, {@code <strong>}, {@code <b>} or
   *     similar element, as group and section titles usually do
   * @param source the innermost block element the line started in
   */
  public record Line(String text, boolean emphasised, Element source) {}

  /**
   * Whether an element is a block-level element for line breaking. Custom elements ({@code
   * <x-ingredient>}) count as blocks: pages style them as layout boxes far more often than as
   * inline text.
   */
  public static boolean isBlock(Element element) {
    return isBlock(element.normalName());
  }

  private static boolean isBlock(String name) {
    return BLOCK.contains(name) || name.indexOf('-') > 0;
  }

  /** The element's visible text on one line. */
  public static String text(Node node) {
    return join(lines(node, true, true));
  }

  /** The element's text on one line, including text hidden from sighted readers. */
  public static String allText(Node node) {
    return join(lines(node, true, false));
  }

  private static String join(List<Line> lines) {
    StringBuilder out = new StringBuilder();
    for (Line line : lines) {
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(line.text());
    }
    return out.toString();
  }

  /**
   * The element's visible lines.
   *
   * @param breakAtBr whether {@code <br>} ends a line; when false it is a space, for blocks whose
   *     line breaks are only layout
   */
  public static List<Line> lines(Node node, boolean breakAtBr) {
    return lines(node, breakAtBr, true);
  }

  /**
   * @param skipHidden whether to leave out text hidden from sighted readers ({@code hidden}, inline
   *     {@code display:none}, screen-reader-only classes); structured data reads it
   */
  public static List<Line> lines(Node node, boolean breakAtBr, boolean skipHidden) {
    Collector collector = new Collector(breakAtBr, skipHidden);
    NodeTraversor.filter(collector, node);
    collector.flush();
    return collector.lines;
  }

  /** Plain strings of {@link #lines(Node, boolean)}, breaking at {@code <br>}. */
  public static List<String> lineTexts(Node node) {
    List<String> texts = new ArrayList<>();
    for (Line line : lines(node, true)) {
      texts.add(line.text());
    }
    return texts;
  }

  /** Whether an element is hidden from sighted readers by markup alone (no style sheets). */
  public static boolean isHidden(Element element) {
    if (element.hasAttr("hidden")) {
      return true;
    }
    String style = element.attr("style");
    if (!style.isEmpty()) {
      String compact = style.replace(" ", "").toLowerCase(Locale.ROOT);
      if (compact.contains("display:none") || compact.contains("visibility:hidden")) {
        return true;
      }
    }
    String classes = element.className();
    return !classes.isEmpty() && SCREEN_READER_ONLY.matcher(classes).find();
  }

  private static final class Collector implements NodeFilter {
    private final boolean breakAtBr;
    private final boolean skipHidden;
    private final List<Line> lines = new ArrayList<>();
    private final StringBuilder current = new StringBuilder();
    private final ArrayDeque<Element> blocks = new ArrayDeque<>();
    private Element lineSource;
    private int emphasisDepth;
    private boolean allEmphasised = true;

    Collector(boolean breakAtBr, boolean skipHidden) {
      this.breakAtBr = breakAtBr;
      this.skipHidden = skipHidden;
    }

    @Override
    public FilterResult head(Node node, int depth) {
      if (node instanceof TextNode text) {
        appendText(text.getWholeText());
      } else if (node instanceof Element element) {
        String name = element.normalName();
        if (INVISIBLE.contains(name) || skipHidden && isHidden(element)) {
          return FilterResult.SKIP_ENTIRELY;
        }
        if (name.equals("br")) {
          if (breakAtBr) {
            flush();
          } else {
            appendText(" ");
          }
        } else if (isBlock(name)) {
          flush();
          blocks.push(element);
        } else if (name.equals("td") || name.equals("th") || name.equals("img")) {
          appendText(" ");
        }
        if (EMPHASIS.contains(name)) {
          emphasisDepth++;
        }
      }
      return FilterResult.CONTINUE;
    }

    @Override
    public FilterResult tail(Node node, int depth) {
      if (node instanceof Element element) {
        String name = element.normalName();
        if (EMPHASIS.contains(name)) {
          emphasisDepth--;
        }
        if (isBlock(name)) {
          flush();
          blocks.poll();
        } else if (name.equals("td") || name.equals("th")) {
          appendText(" ");
        }
      }
      return FilterResult.CONTINUE;
    }

    private void appendText(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (isInvisible(c)) {
          continue;
        }
        if (isSpace(c)) {
          if (!current.isEmpty() && current.charAt(current.length() - 1) != ' ') {
            current.append(' ');
          }
        } else {
          if (current.isEmpty()) {
            lineSource = blocks.peek();
          }
          current.append(c);
          if (emphasisDepth == 0) {
            allEmphasised = false;
          }
        }
      }
    }

    void flush() {
      String text = current.toString().strip();
      if (!text.isEmpty()) {
        lines.add(new Line(text, allEmphasised, lineSource));
      }
      current.setLength(0);
      allEmphasised = true;
    }
  }

  /** Whitespace as a reader sees it, including no-break and other Unicode spaces. */
  public static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  /** Characters that take no room on screen: soft hyphen, zero-width space and joiners, BOM. */
  public static boolean isInvisible(char c) {
    return c == '\u00ad' || (c >= '\u200b' && c <= '\u200d') || c == '\u2060' || c == '\ufeff';
  }
}
