package dev.kiln.gateway.uploads;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the pixel size an image declares in its header, without decoding it: a few kilobytes of a
 * compressed file can claim a canvas that takes gigabytes to decode (a decompression bomb), and the
 * header is where that claim is made. Only what the size needs is read; JPEG segments are skipped,
 * not buffered. No framework, no image library.
 */
public final class ImageHeaders {

  /** The canvas an image declares. */
  public record Size(long width, long height) {
    public long pixels() {
      return width * height;
    }
  }

  /** The header is truncated or not what its format requires. */
  public static final class MalformedImageException extends IOException {
    MalformedImageException(String message) {
      super(message);
    }
  }

  // why: a JPEG may carry many APPn segments before its frame header, but not thousands
  private static final int MAX_JPEG_SEGMENTS = 1024;
  private static final int MAX_TIFF_ENTRIES = 4096;

  private ImageHeaders() {}

  /**
   * @param kind the format the content was sniffed as; must be an image kind
   * @param in the file from its first byte
   */
  public static Size read(ContentKind kind, InputStream in) throws IOException {
    try {
      Size size =
          switch (kind) {
            case PNG -> png(in);
            case JPEG -> jpeg(in);
            case GIF -> gif(in);
            case WEBP -> webp(in);
            case TIFF -> tiff(in);
            default -> throw new IllegalArgumentException(kind + " is not an image");
          };
      if (size.width() <= 0 || size.height() <= 0) {
        throw new MalformedImageException(kind + " header declares an empty image");
      }
      return size;
    } catch (EOFException e) {
      throw new MalformedImageException(kind + " header is truncated");
    }
  }

  static Size png(InputStream in) throws IOException {
    byte[] h = bytes(in, 24);
    // signature (8), then the first chunk must be IHDR of length 13
    if (u32be(h, 8) != 13 || !ascii(h, 12, "IHDR")) {
      throw new MalformedImageException("PNG does not start with IHDR");
    }
    return new Size(u32be(h, 16), u32be(h, 20));
  }

  static Size gif(InputStream in) throws IOException {
    byte[] h = bytes(in, 10);
    return new Size(u16le(h, 6), u16le(h, 8));
  }

  static Size jpeg(InputStream in) throws IOException {
    byte[] soi = bytes(in, 2);
    if ((soi[0] & 0xff) != 0xff || (soi[1] & 0xff) != 0xd8) {
      throw new MalformedImageException("JPEG does not start with SOI");
    }
    for (int segment = 0; segment < MAX_JPEG_SEGMENTS; segment++) {
      if (readByte(in) != 0xff) {
        throw new MalformedImageException("JPEG marker expected");
      }
      int marker = readByte(in);
      while (marker == 0xff) {
        marker = readByte(in); // fill bytes
      }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
        continue; // standalone markers carry no length
      }
      if (marker == 0xd9 || marker == 0xda) {
        throw new MalformedImageException("JPEG has no frame header before its image data");
      }
      int length = (readByte(in) << 8) | readByte(in);
      if (length < 2) {
        throw new MalformedImageException("JPEG segment length below 2");
      }
      if (isStartOfFrame(marker)) {
        byte[] frame = bytes(in, 5);
        return new Size(u16be(frame, 3), u16be(frame, 1));
      }
      in.skipNBytes(length - 2);
    }
    throw new MalformedImageException("JPEG has too many segments before its frame header");
  }

  /** SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
  }

  static Size webp(InputStream in) throws IOException {
    byte[] h = bytes(in, 20);
    if (!ascii(h, 0, "RIFF") || !ascii(h, 8, "WEBP")) {
      throw new MalformedImageException("not a RIFF WEBP container");
    }
    String chunk = new String(h, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
    switch (chunk) {
      case "VP8X" -> {
        byte[] d = bytes(in, 10); // flags (4), canvas width - 1 (24 bits), height - 1 (24 bits)
        return new Size(u24le(d, 4) + 1, u24le(d, 7) + 1);
      }
      case "VP8L" -> {
        byte[] d = bytes(in, 5);
        if ((d[0] & 0xff) != 0x2f) {
          throw new MalformedImageException("VP8L signature missing");
        }
        long bits = u32le(d, 1);
        return new Size((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
      }
      case "VP8 " -> {
        byte[] d = bytes(in, 10); // frame tag (3), start code (3), width (16), height (16)
        if ((d[3] & 0xff) != 0x9d || (d[4] & 0xff) != 0x01 || (d[5] & 0xff) != 0x2a) {
          throw new MalformedImageException("VP8 start code missing");
        }
        return new Size(u16le(d, 6) & 0x3fff, u16le(d, 8) & 0x3fff);
      }
      default -> throw new MalformedImageException("unknown WebP chunk");
    }
  }

  static Size tiff(InputStream in) throws IOException {
    byte[] h = bytes(in, 8);
    boolean little = h[0] == 'I';
    long ifd = little ? u32le(h, 4) : u32be(h, 4);
    if (ifd < 8) {
      throw new MalformedImageException("TIFF directory offset points into its header");
    }
    in.skipNBytes(ifd - 8);
    byte[] c = bytes(in, 2);
    int entries = little ? u16le(c, 0) : u16be(c, 0);
    if (entries > MAX_TIFF_ENTRIES) {
      throw new MalformedImageException("TIFF directory too large");
    }
    long width = -1;
    long height = -1;
    for (int i = 0; i < entries && (width < 0 || height < 0); i++) {
      byte[] e = bytes(in, 12);
      int tag = little ? u16le(e, 0) : u16be(e, 0);
      int type = little ? u16le(e, 2) : u16be(e, 2);
      long value;
      if (type == 3) { // SHORT, left-justified in the value field
        value = little ? u16le(e, 8) : u16be(e, 8);
      } else if (type == 4) { // LONG
        value = little ? u32le(e, 8) : u32be(e, 8);
      } else {
        continue;
      }
      if (tag == 256) {
        width = value;
      } else if (tag == 257) {
        height = value;
      }
    }
    if (width < 0 || height < 0) {
      throw new MalformedImageException("TIFF directory has no image width and length");
    }
    return new Size(width, height);
  }

  private static byte[] bytes(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException();
    }
    return b;
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  private static boolean ascii(byte[] b, int at, String expected) {
    for (int i = 0; i < expected.length(); i++) {
      if (b[at + i] != expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int u16be(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static int u16le(byte[] b, int at) {
    return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8);
  }

  private static long u24le(byte[] b, int at) {
    return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8) | ((long) (b[at + 2] & 0xff) << 16);
  }

  private static long u32be(byte[] b, int at) {
    return ((long) u16be(b, at) << 16) | u16be(b, at + 2);
  }

  private static long u32le(byte[] b, int at) {
    return u16le(b, at) | ((long) u16le(b, at + 2) << 16);
  }
}
