package dev.kiln.worker.extraction.pipeline;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides how a page's bytes become text, in the order browsers use: a byte order mark, the {@code
 * charset} of the Content-Type header, a {@code <meta>} declaration in the first 4 KB, then UTF-8
 * if the bytes are valid UTF-8, else windows-1252 (what browsers assume for undeclared Western
 * pages).
 */
final class PageCharsets {

  private static final int META_SCAN = 4096;
  private static final Pattern CHARSET =
      Pattern.compile("charset\\s*=\\s*[\"']?([A-Za-z0-9._:-]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern META_CHARSET =
      Pattern.compile(
          "<meta[^>]+charset\\s*=\\s*[\"']?([A-Za-z0-9._:-]+)", Pattern.CASE_INSENSITIVE);

  private PageCharsets() {}

  /**
   * @param contentType the Content-Type header or the upload's declared type; may be null
   */
  static Charset detect(String contentType, byte[] body) {
    Charset bom = fromBom(body);
    if (bom != null) {
      return bom;
    }
    Charset declared = contentType == null ? null : named(contentType);
    if (declared != null) {
      return declared;
    }
    String head =
        new String(body, 0, Math.min(body.length, META_SCAN), StandardCharsets.ISO_8859_1);
    Matcher meta = META_CHARSET.matcher(head);
    if (meta.find()) {
      Charset c = forName(meta.group(1));
      if (c != null) {
        return c;
      }
    }
    return isUtf8(body) ? StandardCharsets.UTF_8 : Charset.forName("windows-1252");
  }

  private static Charset fromBom(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
      return StandardCharsets.UTF_8;
    }
    if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
      return StandardCharsets.UTF_16BE;
    }
    if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
      return StandardCharsets.UTF_16LE;
    }
    return null;
  }

  private static Charset named(String contentType) {
    Matcher m = CHARSET.matcher(contentType);
    return m.find() ? forName(m.group(1)) : null;
  }

  private static Charset forName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    // why: the WHATWG encoding standard maps these labels to windows-1252, and pages rely on it
    if (n.equals("iso-8859-1") || n.equals("latin1") || n.equals("us-ascii")) {
      return Charset.forName("windows-1252");
    }
    try {
      return Charset.forName(n);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isUtf8(byte[] body) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
