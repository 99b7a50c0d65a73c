package dev.kiln.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @Test
  void aBlockContainsExactlyTheAddressesUnderItsPrefix() throws Exception {
    Cidr block = Cidr.parse("172.16.0.0/12");

    assertThat(block.contains(InetAddress.getByName("172.16.0.0"))).isTrue();
    assertThat(block.contains(InetAddress.getByName("172.31.255.255"))).isTrue();
    assertThat(block.contains(InetAddress.getByName("172.32.0.0"))).isFalse();
    assertThat(block.contains(InetAddress.getByName("::ffff:1:1"))).isFalse();
  }

  @Test
  void hostBitsAreClearedAndABareAddressIsOneHost() throws Exception {
    assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThat(Cidr.parse(" 127.0.0.1 ").toString()).isEqualTo("127.0.0.1/32");
    assertThat(Cidr.parse("fd12::/16").contains(InetAddress.getByName("fd12:ffff::1"))).isTrue();
  }

  @ParameterizedTest(name = "{0} is not a block")
  @ValueSource(
      strings = {
        "localhost/32",
        "example.org",
        "127.1/32",
        "0x7f000001",
        "10.0.0.0/33",
        "::/129",
        "10.0.0.0/-1",
        "10.0.0.0/",
        "[::1]/128",
        "fe80::1%eth0/128",
        ""
      })
  void namesAndAmbiguousSpellingsAreNotBlocks(String text) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
