package dev.kiln.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Decides which addresses Kiln may connect to when it fetches a URL: public unicast addresses only.
 * Classification never connects and never resolves, so every range can be tested without traffic.
 *
 * <p>IPv6 forms that carry an IPv4 address (mapped {@code ::ffff:a.b.c.d}, compatible {@code
 * ::a.b.c.d}, SIIT {@code ::ffff:0:a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16})
 * are judged by that IPv4 address: a NAT64 or 6to4 gateway would carry the connection there.
 */
public final class AddressGuard {

  /** Why an address is refused. */
  public enum Refusal {
    UNSPECIFIED,
    THIS_NETWORK,
    LOOPBACK,
    PRIVATE,
    SHARED_CGNAT,
    LINK_LOCAL,
    CLOUD_METADATA,
    UNIQUE_LOCAL,
    SITE_LOCAL,
    MULTICAST,
    BROADCAST,
    DOCUMENTATION,
    BENCHMARKING,
    RESERVED
  }

  // why: checked before the wider ranges that also hold them, so logs name the real danger
  private static final List<Cidr> METADATA =
      List.of(
          Cidr.parse("169.254.169.254/32"), // AWS, GCP, Azure, OpenStack, DigitalOcean
          Cidr.parse("169.254.170.2/32"), // AWS ECS task metadata
          Cidr.parse("100.100.100.200/32"), // Alibaba Cloud
          Cidr.parse("fd00:ec2::254/128")); // AWS over IPv6

  // why: the first matching range wins, so nested blocks come first (broadcast inside 240/4)
  private static final List<Range> V4 =
      List.of(
          range("0.0.0.0/32", Refusal.UNSPECIFIED),
          range("0.0.0.0/8", Refusal.THIS_NETWORK),
          range("10.0.0.0/8", Refusal.PRIVATE),
          range("100.64.0.0/10", Refusal.SHARED_CGNAT),
          range("127.0.0.0/8", Refusal.LOOPBACK),
          range("169.254.0.0/16", Refusal.LINK_LOCAL),
          range("172.16.0.0/12", Refusal.PRIVATE),
          // IETF protocol assignments (NAT64 discovery, DS-Lite)
          range("192.0.0.0/24", Refusal.RESERVED),
          range("192.0.2.0/24", Refusal.DOCUMENTATION),
          // former 6to4 relay anycast
          range("192.88.99.0/24", Refusal.RESERVED),
          range("192.168.0.0/16", Refusal.PRIVATE),
          range("198.18.0.0/15", Refusal.BENCHMARKING),
          range("198.51.100.0/24", Refusal.DOCUMENTATION),
          range("203.0.113.0/24", Refusal.DOCUMENTATION),
          range("224.0.0.0/4", Refusal.MULTICAST),
          range("255.255.255.255/32", Refusal.BROADCAST),
          range("240.0.0.0/4", Refusal.RESERVED));

  private static final List<Range> V6 =
      List.of(
          range("::/128", Refusal.UNSPECIFIED),
          range("::1/128", Refusal.LOOPBACK),
          range("fe80::/10", Refusal.LINK_LOCAL),
          range("fec0::/10", Refusal.SITE_LOCAL),
          range("fc00::/7", Refusal.UNIQUE_LOCAL),
          range("ff00::/8", Refusal.MULTICAST),
          range("2001:db8::/32", Refusal.DOCUMENTATION),
          range("3fff::/20", Refusal.DOCUMENTATION),
          range("2001:2::/48", Refusal.BENCHMARKING),
          // why: Teredo (2001::/32) tunnels to an obfuscated IPv4 address; the rest is protocol
          // space
          range("2001::/23", Refusal.RESERVED),
          // why: local-use NAT64 prefix, whose embedding depends on the operator's prefix length
          range("64:ff9b:1::/48", Refusal.RESERVED),
          // discard-only
          range("100::/64", Refusal.RESERVED));

  private static final Cidr MAPPED = Cidr.parse("::ffff:0:0/96");
  private static final Cidr TRANSLATED = Cidr.parse("::ffff:0:0:0/96");
  private static final Cidr COMPATIBLE = Cidr.parse("::/96");
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
  private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");

  private final List<Cidr> allowed;

  /**
   * @param allowed blocks that are allowed although they would be refused (how tests reach
   *     127.0.0.1); unspecified addresses stay refused, since connecting to one reaches this host
   */
  public AddressGuard(List<Cidr> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /** Why this guard refuses {@code address}, or empty when Kiln may connect to it. */
  public Optional<Refusal> check(InetAddress address) {
    byte[] bytes = address.getAddress();
    Optional<Refusal> refusal = classify(bytes);
    if (refusal.isEmpty() || refusal.get() == Refusal.UNSPECIFIED) {
      return refusal;
    }
    if (allowed.stream().anyMatch(c -> c.contains(bytes))) {
      return Optional.empty();
    }
    byte[] embedded = embeddedIpv4(bytes);
    if (embedded != null && allowed.stream().anyMatch(c -> c.contains(embedded))) {
      return classify(embedded).filter(r -> r == Refusal.UNSPECIFIED);
    }
    return refusal;
  }

  /** Why {@code address} is not a public unicast address, ignoring any allow-list. */
  public static Optional<Refusal> classify(InetAddress address) {
    return classify(address.getAddress());
  }

  private static Optional<Refusal> classify(byte[] bytes) {
    for (Cidr m : METADATA) {
      if (m.contains(bytes)) {
        return Optional.of(Refusal.CLOUD_METADATA);
      }
    }
    if (bytes.length == 4) {
      return lookup(V4, bytes);
    }
    Optional<Refusal> v6 = lookup(V6, bytes);
    if (v6.isPresent()) {
      return v6;
    }
    byte[] embedded = embeddedIpv4(bytes);
    if (embedded != null) {
      return classify(embedded);
    }
    // why: outside 2000::/3 nothing is assigned for global unicast; refuse rather than guess
    return GLOBAL_UNICAST.contains(bytes) ? Optional.empty() : Optional.of(Refusal.RESERVED);
  }

  /** The IPv4 address an IPv6 address carries and would reach, or null. */
  static byte[] embeddedIpv4(byte[] v6) {
    if (v6.length != 16) {
      return null;
    }
    if (MAPPED.contains(v6)
        || TRANSLATED.contains(v6)
        || COMPATIBLE.contains(v6)
        || NAT64.contains(v6)) {
      return Arrays.copyOfRange(v6, 12, 16);
    }
    if (SIX_TO_FOUR.contains(v6)) {
      return Arrays.copyOfRange(v6, 2, 6);
    }
    return null;
  }

  private static Optional<Refusal> lookup(List<Range> table, byte[] bytes) {
    for (Range r : table) {
      if (r.block().contains(bytes)) {
        return Optional.of(r.refusal());
      }
    }
    return Optional.empty();
  }

  private record Range(Cidr block, Refusal refusal) {}

  private static Range range(String block, Refusal refusal) {
    return new Range(Cidr.parse(block), refusal);
  }

  static InetAddress address(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
