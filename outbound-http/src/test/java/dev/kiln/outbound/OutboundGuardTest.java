package dev.kiln.outbound;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The check made when a URL is submitted: it must never resolve a name. */
class OutboundGuardTest {

  private static final HostResolver NO_DNS =
      name -> {
        throw new AssertionError("precheck resolved " + name);
      };

  private final OutboundGuard strict = new OutboundGuard(List.of(), NO_DNS);
  private final OutboundGuard loopbackAllowed =
      new OutboundGuard(List.of(Cidr.parse("127.0.0.1/32")), NO_DNS);

  @ParameterizedTest(name = "{0} is refused before any lookup")
  @ValueSource(
      strings = {
        "http://127.0.0.1/",
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://localhost/",
        "http://localhost./",
        "http://api.localhost/",
        "http://0.0.0.0/",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://1.2.3.4.5/",
        "http://user:pw@example.org/",
        "http://example.org@10.0.0.1/",
        "ftp://example.org/",
        "file:///etc/passwd",
        "example.org/hook",
      })
  void addressesAndNamesTheGuardAlwaysRefusesAreRefused(String url) {
    assertThatThrownBy(() -> strict.precheck(url))
        .isInstanceOfSatisfying(
            FetchException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.kind())
                    .isEqualTo(FetchException.Kind.FORBIDDEN));
  }

  @ParameterizedTest(name = "{0} passes without a lookup")
  @ValueSource(
      strings = {
        "https://hooks.example.org/kiln?token=abc",
        "http://example.org:8080/",
        "http://93.184.215.14/",
        "https://[2606:4700::1]/"
      })
  void publicAddressesAndNamesPass(String url) {
    assertThatCode(() -> strict.precheck(url)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0} passes with 127.0.0.1/32 allowed")
  @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://[::ffff:127.0.0.1]/"})
  void allowListedAddressesPass(String url) {
    assertThatCode(() -> loopbackAllowed.precheck(url)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0} stays refused with 127.0.0.1/32 allowed")
  @ValueSource(strings = {"http://127.0.0.2/", "http://[::1]/", "http://localhost./"})
  void otherLoopbackFormsStayRefusedWithTheTestAllowList(String url) {
    assertThatThrownBy(() -> loopbackAllowed.precheck(url)).isInstanceOf(FetchException.class);
  }
}
