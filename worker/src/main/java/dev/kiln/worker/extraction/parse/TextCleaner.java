package dev.kiln.worker.extraction.parse;

import dev.kiln.worker.extraction.page.HtmlText;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.parser.Parser;

/**
 * Turns strings found in structured data into plain text. Pages put HTML tags, entities (sometimes
 * escaped twice) and UTF-8 decoded as Windows-1252 into their JSON-LD, and a step list into one
 * string; all of that is undone here.
 */
public final class TextCleaner {

  private static final Pattern TAG = Pattern.compile("<\\s*/?\\s*[a-zA-Z][a-zA-Z0-9]*[^<>]*>");
  private static final Pattern ENTITY =
      Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});");
  private static final Pattern LINE_BREAK = Pattern.compile("\\r\\n|[\\r\\n\\u2028\\u2029]");

  /** Windows-1252 characters in 0x80-0x9F, indexed by byte - 0x80; 0 where undefined. */
  private static final String CP1252_HIGH = "€\0‚ƒ„…†‡ˆ‰Š‹Œ\0Ž\0\0‘’“”•–—˜™š›œ\0žŸ";

  private TextCleaner() {}

  /** The string as one plain line, or null when nothing visible is left. */
  public static String clean(String s) {
    List<String> lines = lines(s);
    return lines.isEmpty() ? null : String.join(" ", lines);
  }

  /**
   * The visible lines of a string: HTML block and {@code <br>} boundaries and line breaks separate
   * lines; tags are dropped, entities decoded and whitespace collapsed.
   */
  public static List<String> lines(String s) {
    List<String> out = new ArrayList<>();
    if (s == null || s.isBlank()) {
      return out;
    }
    String text = fixMojibake(s);
    if (!TAG.matcher(text).find() && text.indexOf('&') >= 0) {
      // entity-escaped markup (&lt;p&gt;) becomes markup here, plain text stays plain
      text = Parser.unescapeEntities(text, false);
    }
    if (TAG.matcher(text).find()) {
      // why: in a JSON string a line break separates steps even between tags
      String html = LINE_BREAK.matcher(text).replaceAll("<br>");
      for (String line : HtmlText.lineTexts(Jsoup.parseBodyFragment(html).body())) {
        add(out, line);
      }
    } else {
      for (String line : LINE_BREAK.split(text)) {
        add(out, line);
      }
    }
    return out;
  }

  private static void add(List<String> out, String line) {
    String text = line;
    if (text.indexOf('&') >= 0 && ENTITY.matcher(text).find()) {
      text = Parser.unescapeEntities(text, false);
    }
    String collapsed = collapse(text);
    if (!collapsed.isEmpty()) {
      out.add(collapsed);
    }
  }

  /** Collapses all kinds of whitespace to single spaces, drops invisible characters, trims. */
  public static String collapse(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (HtmlText.isInvisible(c)) {
        continue;
      }
      if (HtmlText.isSpace(c)) {
        if (!out.isEmpty() && out.charAt(out.length() - 1) != ' ') {
          out.append(' ');
        }
      } else {
        out.append(c);
      }
    }
    return out.toString().strip();
  }

  /**
   * Repairs UTF-8 that was decoded as Latin-1 or Windows-1252 ("Â½" for "½", "â€™" for "’"): only
   * sequences that form valid UTF-8 are touched.
   */
  public static String fixMojibake(String s) {
    StringBuilder out = null;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int continuation =
          c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : 0;
      if (continuation > 0 && i + continuation < s.length()) {
        byte[] bytes = new byte[continuation + 1];
        bytes[0] = (byte) c;
        boolean ok = true;
        for (int k = 1; ok && k <= continuation; k++) {
          int b = asByte(s.charAt(i + k));
          ok = b >= 0x80 && b <= 0xBF;
          bytes[k] = (byte) b;
        }
        String decoded = ok ? decodeUtf8(bytes) : null;
        if (decoded != null) {
          if (out == null) {
            out = new StringBuilder(s.length()).append(s, 0, i);
          }
          out.append(decoded);
          i += continuation + 1;
          continue;
        }
      }
      if (out != null) {
        out.append(c);
      }
      i++;
    }
    return out == null ? s : out.toString();
  }

  private static int asByte(char c) {
    if (c <= 0xFF) {
      return c;
    }
    int index = CP1252_HIGH.indexOf(c);
    return index >= 0 ? 0x80 + index : -1;
  }

  private static String decodeUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
