package dev.kiln.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A block of addresses such as {@code 10.0.0.0/8} or {@code fc00::/7}.
 *
 * @param network the block's first address, its host bits cleared
 * @param prefix number of leading bits that must match
 */
public record Cidr(byte[] network, int prefix) {

  public Cidr {
    if (network.length != 4 && network.length != 16) {
      throw new IllegalArgumentException("an address has 4 or 16 bytes");
    }
    if (prefix < 0 || prefix > network.length * 8) {
      throw new IllegalArgumentException("prefix out of range: /" + prefix);
    }
    network = mask(network.clone(), prefix);
  }

  /**
   * Parses {@code address/prefix}; a bare address is a single host. Only canonical literals are
   * accepted (dotted quad for IPv4), never a name, so reading the configuration never touches DNS.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Cidr parse(String text) {
    String s = text.strip();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes = literal(addr);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address block: " + text);
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (!p.matches("\\d{1,3}")) {
        throw new IllegalArgumentException("not an IP address block: " + text);
      }
      prefix = Integer.parseInt(p);
    }
    return new Cidr(bytes, prefix);
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  public boolean contains(byte[] address) {
    return address.length == network.length
        && Arrays.equals(mask(address.clone(), prefix), network);
  }

  private static byte[] literal(String addr) {
    if (addr.indexOf(':') >= 0) {
      if (!addr.matches("[0-9A-Fa-f:.]+")) {
        return null; // why: also keeps zone ids and brackets out
      }
      try {
        // why: a string with ':' is only ever parsed as an IPv6 literal, never looked up
        byte[] bytes = InetAddress.getByName(addr).getAddress();
        return bytes.length == 16 ? bytes : mapped(bytes);
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return HostParser.dottedQuad(addr);
  }

  /** The JDK turns {@code ::ffff:a.b.c.d} into a.b.c.d; a block written in IPv6 stays IPv6. */
  private static byte[] mapped(byte[] v4) {
    byte[] v6 = new byte[16];
    v6[10] = (byte) 0xff;
    v6[11] = (byte) 0xff;
    System.arraycopy(v4, 0, v6, 12, 4);
    return v6;
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.clamp(prefix - i * 8L, 0, 8);
      bytes[i] &= (byte) (0xff << (8 - keep));
    }
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
