package dev.kiln.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the host of a URL the way the most lenient software on the path would, so no spelling of an
 * address slips past the guard as a "name". {@code 127.1}, {@code 2130706433}, {@code 0x7f000001}
 * and {@code 0177.0.0.1} are all 127.0.0.1 to glibc's {@code inet_aton}, to curl and to browsers
 * (WHATWG URL), and the JDK hands names it does not parse itself to the system resolver, which
 * would read them that way too.
 */
public final class HostParser {

  /** A host as the guard sees it: an address literal, or a DNS name still to be resolved. */
  public sealed interface Host permits Literal, Name {}

  public record Literal(InetAddress address) implements Host {}

  /**
   * @param name lower-case ASCII, as written (a trailing dot is kept)
   */
  public record Name(String name) implements Host {}

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern HEX_LITERAL = Pattern.compile("[0-9a-f:.]+");

  private HostParser() {}

  /**
   * @param host the host of a URL as {@link java.net.URI#getHost()} returns it (IPv6 in brackets)
   * @throws IllegalArgumentException when the host is neither a valid literal nor a valid DNS name,
   *     including numeric-looking names that do not parse as an address (never handed to DNS)
   */
  public static Host parse(String host) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("no host");
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      return new Literal(ipv6(h));
    }
    if (h.length() > 254) {
      throw new IllegalArgumentException("host name too long");
    }
    String body = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    String[] labels = body.split("\\.", -1);
    if (endsInNumber(labels)) {
      byte[] v4 = ipv4(labels);
      if (v4 == null) {
        throw new IllegalArgumentException("malformed IPv4 address");
      }
      return new Literal(address(v4));
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("malformed host name");
      }
    }
    return new Name(h);
  }

  /** The four bytes of a strict dotted quad ({@code 10.0.0.1}, no leading zeros), or null. */
  static byte[] dottedQuad(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (!p.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(p) > 255) {
        return null;
      }
      out[i] = (byte) Integer.parseInt(p);
    }
    return out;
  }

  /**
   * Whether the last label reads as a number (WHATWG "ends in a number"): such a host is an IPv4
   * address or invalid, never a name.
   */
  private static boolean endsInNumber(String[] labels) {
    String last = labels[labels.length - 1];
    return last.matches("[0-9]+") || last.matches("0x[0-9a-f]*");
  }

  /** {@code inet_aton}: 1 to 4 parts, decimal, octal (leading 0) or hex (0x); the last fills up. */
  private static byte[] ipv4(String[] parts) {
    if (parts.length > 4) {
      return null;
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Long v = number(parts[i]);
      if (v == null) {
        return null;
      }
      values[i] = v;
    }
    long addr = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      if (values[i] > 255) {
        return null;
      }
      addr |= values[i] << (24 - 8 * i);
    }
    long last = values[parts.length - 1];
    if (last >= 1L << (8 * (5 - parts.length))) {
      return null;
    }
    addr |= last;
    return new byte[] {
      (byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr
    };
  }

  private static Long number(String part) {
    try {
      if (part.startsWith("0x")) {
        return part.length() == 2
            ? Long.valueOf(0)
            : bounded(Long.parseLong(part.substring(2), 16));
      }
      if (part.length() > 1 && part.startsWith("0")) {
        return part.matches("[0-7]+") ? bounded(Long.parseLong(part, 8)) : null;
      }
      return part.matches("[0-9]+") ? bounded(Long.parseLong(part)) : null;
    } catch (NumberFormatException e) {
      return null; // why: longer than a long: certainly out of range
    }
  }

  private static Long bounded(long v) {
    return v <= 0xffffffffL ? v : null;
  }

  private static InetAddress ipv6(String bracketed) {
    if (!bracketed.endsWith("]")) {
      throw new IllegalArgumentException("malformed IPv6 address");
    }
    String inner = bracketed.substring(1, bracketed.length() - 1);
    // why: zone ids (fe80::1%eth0) name an interface of this host; never a remote destination
    if (!HEX_LITERAL.matcher(inner).matches() || inner.indexOf(':') < 0) {
      throw new IllegalArgumentException("malformed IPv6 address");
    }
    try {
      // why: a string with ':' is only parsed as a literal by the JDK, never looked up
      return InetAddress.getByName(inner);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("malformed IPv6 address");
    }
  }

  private static InetAddress address(byte[] v4) {
    try {
      return InetAddress.getByAddress(v4);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
