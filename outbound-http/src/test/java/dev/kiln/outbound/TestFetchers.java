package dev.kiln.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetchers for tests that can only ever reach loopback: names resolve through a fixed table (never
 * real DNS), and a fence independent of the guard fails the test before any connection to a
 * non-loopback address is opened, so even a broken guard sends no traffic off this machine.
 */
public final class TestFetchers {

  private TestFetchers() {}

  /** A policy allowing only 127.0.0.1, with short limits. */
  public static FetchPolicy loopbackPolicy() {
    return new FetchPolicy(
        List.of(Cidr.parse("127.0.0.1/32")),
        1024 * 1024,
        Duration.ofSeconds(5),
        Duration.ofMinutes(1),
        5);
  }

  /** Resolves only the names in {@code table}; anything else is unknown. */
  public static HostResolver resolver(Map<String, String> table) {
    return name -> {
      String address = table.get(name);
      if (address == null) {
        throw new UnknownHostException(name);
      }
      return List.of(InetAddress.getByName(address)); // why: literals only, never a lookup
    };
  }

  public static GuardedFetcher loopbackOnly(FetchPolicy policy, HostResolver resolver) {
    return new GuardedFetcher(
        policy,
        resolver,
        (SSLSocketFactory) SSLSocketFactory.getDefault(),
        TestFetchers::fence,
        System::nanoTime);
  }

  static void fence(InetAddress address) {
    if (!address.isLoopbackAddress()) {
      throw new AssertionError("a test tried to connect outside loopback: " + address);
    }
  }
}
