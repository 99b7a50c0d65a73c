package dev.kiln.gateway.uploads;

/** Tells what a file is from its first bytes (magic numbers), never from its name. */
public final class ContentSniffer {

  /** How many leading bytes {@link #sniff} looks at. */
  public static final int HEAD = 8192;

  private ContentSniffer() {}

  /**
   * @param head the file's first bytes, at most {@link #HEAD} of them
   */
  public static ContentKind sniff(byte[] head) {
    if (starts(head, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
      return ContentKind.PNG;
    }
    if (starts(head, 0xff, 0xd8, 0xff)) {
      return ContentKind.JPEG;
    }
    if (starts(head, 'G', 'I', 'F', '8', '7', 'a') || starts(head, 'G', 'I', 'F', '8', '9', 'a')) {
      return ContentKind.GIF;
    }
    if (head.length >= 12
        && starts(head, 'R', 'I', 'F', 'F')
        && head[8] == 'W'
        && head[9] == 'E'
        && head[10] == 'B'
        && head[11] == 'P') {
      return ContentKind.WEBP;
    }
    if (starts(head, 'I', 'I', 0x2a, 0x00) || starts(head, 'M', 'M', 0x00, 0x2a)) {
      return ContentKind.TIFF;
    }
    if (starts(head, '%', 'P', 'D', 'F', '-')) {
      return ContentKind.PDF;
    }
    if (starts(head, 'P', 'K', 0x03, 0x04) || starts(head, 'P', 'K', 0x05, 0x06)) {
      return ContentKind.ZIP;
    }
    if (starts(head, 'g', 'l', 'T', 'F')) {
      return ContentKind.GLB;
    }
    return isText(head) ? ContentKind.TEXT : ContentKind.UNKNOWN;
  }

  /**
   * Text in any 8-bit encoding: no NUL and no other C0 controls than tab, line feed, form feed and
   * carriage return. why not UTF-8 only: Latin-1 CSV or HTML is honest text, and its charset is the
   * declared type's business; what must not pass as text is binary data.
   */
  static boolean isText(byte[] head) {
    for (byte b : head) {
      if (b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
        return false;
      }
    }
    return true;
  }

  private static boolean starts(byte[] b, int... expected) {
    if (b.length < expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((b[i] & 0xff) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
