package dev.kiln.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Host spellings as URLs carry them; nothing here resolves a name. */
class HostParserTest {

  @ParameterizedTest(name = "{0} is the address {1}")
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "127.1, 127.0.0.1",
    "127.0.1, 127.0.0.1",
    "2130706433, 127.0.0.1",
    "0x7f000001, 127.0.0.1",
    "0X7F000001, 127.0.0.1",
    "0x7f.1, 127.0.0.1",
    "0x7f.0x0.0x0.0x1, 127.0.0.1",
    "0177.0.0.1, 127.0.0.1",
    "0177.1, 127.0.0.1",
    "017700000001, 127.0.0.1",
    "127.0.0.1., 127.0.0.1",
    "0, 0.0.0.0",
    "0.0.0.0, 0.0.0.0",
    "0x0, 0.0.0.0",
    "3232235777, 192.168.1.1",
    "0xa9fea9fe, 169.254.169.254",
    "169.254.43518, 169.254.169.254",
    "012.0.0.1, 10.0.0.1",
    "93.184.216.34, 93.184.216.34",
    "[::1], ::1",
    "[0:0:0:0:0:0:0:1], ::1",
    "[::], ::",
    "[::ffff:127.0.0.1], 127.0.0.1",
    "[::ffff:7f00:1], 127.0.0.1",
    "[::ffff:a9fe:a9fe], 169.254.169.254",
    "[fd00:ec2::254], fd00:ec2::254",
  })
  void addressSpellingsAreReadAsTheAddressTheyMean(String host, String address) throws Exception {
    HostParser.Host parsed = HostParser.parse(host);

    assertThat(parsed).isInstanceOf(HostParser.Literal.class);
    assertThat(((HostParser.Literal) parsed).address()).isEqualTo(InetAddress.getByName(address));
  }

  @ParameterizedTest(name = "{0} is a name")
  @ValueSource(
      strings = {
        "example.org",
        "Files.Example.TEST",
        "localhost",
        "localhost.",
        "a-b.c1.test",
        "x"
      })
  void namesStayNamesInLowerCase(String host) {
    HostParser.Host parsed = HostParser.parse(host);

    assertThat(parsed).isEqualTo(new HostParser.Name(host.toLowerCase(java.util.Locale.ROOT)));
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(
      strings = {
        "256.0.0.1",
        "1.2.3.4.5",
        "4294967296",
        "0x100000000",
        "08.0.0.1",
        "1.2.3.256.",
        "example.123",
        "127..1",
        "a..b",
        "-a.test",
        "a-.test",
        ".",
        "[fe80::1%25eth0]",
        "[::1",
        "[127.0.0.1]",
        "[v1.fe80::a]",
        "under_score.test",
      })
  void malformedHostsAreRefusedWithoutResolving(String host) {
    assertThatThrownBy(() -> HostParser.parse(host)).isInstanceOf(IllegalArgumentException.class);
  }
}
