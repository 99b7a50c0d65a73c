package dev.kiln.gateway;

import dev.kiln.outbound.ConnectListener;
import dev.kiln.outbound.HostResolver;
import dev.kiln.outbound.TestFetchers;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Replaces the gateway's resolver and connection listener in every test: names resolve through a
 * fixed table (never real DNS), and a fence independent of the guard refuses, and records, any
 * connection outside loopback before it is opened, so even a broken guard sends nothing off this
 * machine.
 */
@Singleton
public class TestOutbound {

  /** A name that resolves to a private address, to prove the guard checks at call time. */
  public static final String PRIVATE_NAME = "hooks.internal.example.test";

  private static final List<InetAddress> OFF_LOOPBACK = new CopyOnWriteArrayList<>();

  @Produces
  @Singleton
  HostResolver resolver() {
    return TestFetchers.resolver(
        Map.of(PRIVATE_NAME, "10.1.2.3", "hooks.loopback.example.test", "127.0.0.1"));
  }

  @Produces
  @Singleton
  ConnectListener fence() {
    return address -> {
      if (!address.isLoopbackAddress()) {
        OFF_LOOPBACK.add(address);
        throw new IOException("test fence: no connections outside loopback");
      }
    };
  }

  /** Every connection a test tried to open outside loopback; must stay empty. */
  public static List<InetAddress> offLoopback() {
    return List.copyOf(OFF_LOOPBACK);
  }
}
