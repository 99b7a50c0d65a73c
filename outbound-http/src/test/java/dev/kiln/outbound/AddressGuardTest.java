package dev.kiln.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.outbound.AddressGuard.Refusal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Classification only: nothing here resolves a name or opens a connection. */
class AddressGuardTest {

  private final AddressGuard strict = new AddressGuard(List.of());

  @ParameterizedTest(name = "{0} is refused as {1}")
  @CsvSource({
    // loopback, all of 127/8
    "127.0.0.1, LOOPBACK",
    "127.0.0.2, LOOPBACK",
    "127.1.2.3, LOOPBACK",
    "127.255.255.254, LOOPBACK",
    "::1, LOOPBACK",
    // unspecified and "this network"
    "0.0.0.0, UNSPECIFIED",
    "::, UNSPECIFIED",
    "0.0.0.1, THIS_NETWORK",
    "0.255.255.255, THIS_NETWORK",
    // private
    "10.0.0.0, PRIVATE",
    "10.0.0.1, PRIVATE",
    "10.255.255.255, PRIVATE",
    "172.16.0.1, PRIVATE",
    "172.20.10.5, PRIVATE",
    "172.31.255.255, PRIVATE",
    "192.168.0.1, PRIVATE",
    "192.168.255.255, PRIVATE",
    // link-local and metadata
    "169.254.0.1, LINK_LOCAL",
    "169.254.255.254, LINK_LOCAL",
    "169.254.169.254, CLOUD_METADATA",
    "169.254.170.2, CLOUD_METADATA",
    "100.100.100.200, CLOUD_METADATA",
    "fd00:ec2::254, CLOUD_METADATA",
    "fe80::1, LINK_LOCAL",
    "febf:ffff::1, LINK_LOCAL",
    // CGNAT
    "100.64.0.1, SHARED_CGNAT",
    "100.127.255.254, SHARED_CGNAT",
    // IPv6 unique-local and site-local
    "fc00::1, UNIQUE_LOCAL",
    "fd12:3456:789a::1, UNIQUE_LOCAL",
    "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, UNIQUE_LOCAL",
    "fec0::1, SITE_LOCAL",
    // multicast and broadcast
    "224.0.0.1, MULTICAST",
    "239.255.255.250, MULTICAST",
    "ff02::1, MULTICAST",
    "ff05::1:3, MULTICAST",
    "255.255.255.255, BROADCAST",
    // documentation, benchmarking, reserved
    "192.0.2.10, DOCUMENTATION",
    "198.51.100.7, DOCUMENTATION",
    "203.0.113.99, DOCUMENTATION",
    "2001:db8::1, DOCUMENTATION",
    "198.18.0.1, BENCHMARKING",
    "198.19.255.254, BENCHMARKING",
    "2001:2::1, BENCHMARKING",
    "192.0.0.170, RESERVED",
    "192.88.99.1, RESERVED",
    "240.0.0.1, RESERVED",
    "254.1.2.3, RESERVED",
    "2001::1, RESERVED",
    "100::1, RESERVED",
    "64:ff9b:1::a00:1, RESERVED",
    "4000::1, RESERVED",
    // IPv4-compatible, SIIT, NAT64 and 6to4 embeddings of refused IPv4 addresses
    "::127.0.0.1, LOOPBACK",
    "::10.0.0.1, PRIVATE",
    "::169.254.169.254, CLOUD_METADATA",
    "::ffff:0:10.1.2.3, PRIVATE",
    "::ffff:0:127.0.0.1, LOOPBACK",
    "64:ff9b::127.0.0.1, LOOPBACK",
    "64:ff9b::a9fe:a9fe, CLOUD_METADATA",
    "64:ff9b::192.168.1.1, PRIVATE",
    "64:ff9b::100.64.0.1, SHARED_CGNAT",
    "2002:7f00:1::, LOOPBACK",
    "2002:a00:1::1, PRIVATE",
    "2002:a9fe:a9fe::1, CLOUD_METADATA",
    "2002:c0a8:101::1, PRIVATE",
  })
  void internalAndSpecialAddressesAreRefused(String literal, Refusal expected) throws Exception {
    assertThat(strict.check(InetAddress.getByName(literal))).contains(expected);
    assertThat(AddressGuard.classify(InetAddress.getByName(literal))).contains(expected);
  }

  @ParameterizedTest(name = "::ffff:{0} is refused as {1}")
  @CsvSource({
    "127.0.0.1, LOOPBACK",
    "10.0.0.1, PRIVATE",
    "172.16.0.1, PRIVATE",
    "192.168.1.1, PRIVATE",
    "169.254.169.254, CLOUD_METADATA",
    "100.64.0.1, SHARED_CGNAT",
    "0.0.0.0, UNSPECIFIED",
  })
  void ipv4MappedAddressesKeptAsIpv6AreJudgedByTheirIpv4(String v4, Refusal expected)
      throws Exception {
    InetAddress mapped = mapped(v4);
    assertThat(mapped).isInstanceOf(Inet6Address.class);
    assertThat(strict.check(mapped)).contains(expected);
  }

  @ParameterizedTest(name = "mapped literal [::ffff:{0}] is refused")
  @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "169.254.169.254", "7f00:1", "a9fe:a9fe"})
  void ipv4MappedLiteralsAreRefused(String tail) throws Exception {
    // why: the JDK turns these into Inet4Address, which must be refused all the same
    assertThat(strict.check(InetAddress.getByName("::ffff:" + tail))).isPresent();
  }

  @ParameterizedTest(name = "{0} is allowed")
  @ValueSource(
      strings = {
        "93.184.216.34",
        "8.8.8.8",
        "1.1.1.1",
        "172.15.255.255",
        "172.32.0.1",
        "100.63.255.255",
        "100.128.0.1",
        "169.253.255.255",
        "192.167.255.255",
        "11.0.0.1",
        "126.255.255.255",
        "128.0.0.1",
        "223.255.255.255",
        "2606:4700:4700::1111",
        "2a00:1450:4001:81d::200e",
        "::ffff:93.184.216.34",
        "64:ff9b::8.8.8.8",
        "2002:5db8:d822::1",
      })
  void publicUnicastAddressesAreAllowed(String literal) throws Exception {
    assertThat(strict.check(InetAddress.getByName(literal))).isEmpty();
  }

  @Test
  void theAllowListOverridesTheClassificationForItsBlocksOnly() throws Exception {
    AddressGuard guard = new AddressGuard(List.of(Cidr.parse("127.0.0.1/32")));

    assertThat(guard.check(InetAddress.getByName("127.0.0.1"))).isEmpty();
    assertThat(guard.check(mapped("127.0.0.1"))).isEmpty();
    assertThat(guard.check(InetAddress.getByName("127.0.0.2"))).contains(Refusal.LOOPBACK);
    assertThat(guard.check(InetAddress.getByName("::1"))).contains(Refusal.LOOPBACK);
    assertThat(guard.check(InetAddress.getByName("10.0.0.1"))).contains(Refusal.PRIVATE);
  }

  @Test
  void unspecifiedAddressesStayRefusedWhateverTheAllowList() throws Exception {
    AddressGuard guard = new AddressGuard(List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")));

    assertThat(guard.check(InetAddress.getByName("0.0.0.0"))).contains(Refusal.UNSPECIFIED);
    assertThat(guard.check(InetAddress.getByName("::"))).contains(Refusal.UNSPECIFIED);
    assertThat(guard.check(mapped("0.0.0.0"))).contains(Refusal.UNSPECIFIED);
    assertThat(guard.check(InetAddress.getByName("10.0.0.1"))).isEmpty();
  }

  @Test
  void anAllowedPrivateBlockCoversIpv6FormsOfItsAddresses() throws Exception {
    AddressGuard guard = new AddressGuard(List.of(Cidr.parse("10.20.0.0/16")));

    assertThat(guard.check(InetAddress.getByName("10.20.3.4"))).isEmpty();
    assertThat(guard.check(InetAddress.getByName("64:ff9b::10.20.3.4"))).isEmpty();
    assertThat(guard.check(InetAddress.getByName("10.21.0.1"))).contains(Refusal.PRIVATE);
  }

  @Test
  void classificationIgnoresTheHostNameAnAddressCarries() throws Exception {
    InetAddress named = InetAddress.getByAddress("www.example.org", new byte[] {10, 0, 0, 1});

    assertThat(AddressGuard.classify(named)).isEqualTo(Optional.of(Refusal.PRIVATE));
  }

  private static InetAddress mapped(String v4) throws UnknownHostException {
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xff;
    bytes[11] = (byte) 0xff;
    System.arraycopy(InetAddress.getByName(v4).getAddress(), 0, bytes, 12, 4);
    return Inet6Address.getByAddress(null, bytes, -1);
  }
}
