package dev.kiln.gateway.uploads;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Image headers built byte by byte, so tests need no image files and no image library. */
public final class TestImages {

  private TestImages() {}

  /** PNG signature and IHDR chunk claiming {@code width} x {@code height}, then IEND. */
  public static byte[] png(long width, long height) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12).order(ByteOrder.BIG_ENDIAN);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    b.putInt(13).put(ascii("IHDR")).putInt((int) width).putInt((int) height);
    b.put(new byte[] {8, 6, 0, 0, 0}).putInt(0); // depth, colour, methods, CRC (not checked)
    b.putInt(0).put(ascii("IEND")).putInt(0xae426082);
    return b.array();
  }

  /** SOI, {@code appSegments} APP1 segments of {@code appSize} bytes each, then SOF0. */
  public static byte[] jpeg(int width, int height, int appSegments, int appSize) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xff);
    out.write(0xd8);
    for (int i = 0; i < appSegments; i++) {
      out.write(0xff);
      out.write(0xe1);
      int length = appSize + 2;
      out.write(length >> 8);
      out.write(length & 0xff);
      out.writeBytes(new byte[appSize]);
    }
    out.writeBytes(
        new byte[] {
          (byte) 0xff,
          (byte) 0xc0,
          0,
          17,
          8,
          (byte) (height >> 8),
          (byte) height,
          (byte) (width >> 8),
          (byte) width,
          3
        });
    out.writeBytes(new byte[9]); // three component specifications
    out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd9});
    return out.toByteArray();
  }

  public static byte[] gif(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("GIF89a")).putShort((short) width).putShort((short) height);
    b.put(new byte[] {0, 0, 0, 0x3b});
    return b.array();
  }

  /** Extended WebP (VP8X) declaring its canvas. */
  public static byte[] webpExtended(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("RIFF")).putInt(22).put(ascii("WEBP")).put(ascii("VP8X")).putInt(10);
    b.putInt(0);
    put24(b, width - 1);
    put24(b, height - 1);
    return b.array();
  }

  /** Lossless WebP (VP8L). */
  public static byte[] webpLossless(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(25).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("RIFF")).putInt(17).put(ascii("WEBP")).put(ascii("VP8L")).putInt(5);
    b.put((byte) 0x2f).putInt((width - 1) | ((height - 1) << 14));
    return b.array();
  }

  /** Lossy WebP (VP8). */
  public static byte[] webpLossy(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("RIFF")).putInt(22).put(ascii("WEBP")).put(ascii("VP8 ")).putInt(10);
    b.put(new byte[] {0, 0, 0, (byte) 0x9d, 0x01, 0x2a});
    b.putShort((short) width).putShort((short) height);
    return b.array();
  }

  /** TIFF with one directory holding ImageWidth and ImageLength. */
  public static byte[] tiff(long width, long height, boolean littleEndian) {
    ByteBuffer b =
        ByteBuffer.allocate(8 + 2 + 2 * 12 + 4)
            .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    b.put(littleEndian ? ascii("II") : ascii("MM")).putShort((short) 42).putInt(8);
    b.putShort((short) 2);
    b.putShort((short) 256).putShort((short) 4).putInt(1).putInt((int) width);
    b.putShort((short) 257).putShort((short) 4).putInt(1).putInt((int) height);
    b.putInt(0);
    return b.array();
  }

  private static void put24(ByteBuffer b, int value) {
    b.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
