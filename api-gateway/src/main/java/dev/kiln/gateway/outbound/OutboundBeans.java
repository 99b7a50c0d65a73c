package dev.kiln.gateway.outbound;

import dev.kiln.outbound.Cidr;
import dev.kiln.outbound.ConnectListener;
import dev.kiln.outbound.HostResolver;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * The resolver and connection listener of the gateway's outbound requests. Default beans, so tests
 * replace them with a fixed name table and a loopback-only fence: no test ever queries real DNS or
 * connects outside loopback.
 */
@Singleton
public class OutboundBeans {

  @Produces
  @DefaultBean
  @Singleton
  HostResolver resolver() {
    return HostResolver.SYSTEM;
  }

  @Produces
  @DefaultBean
  @Singleton
  ConnectListener connectListener() {
    return ConnectListener.NONE;
  }

  /** Parses an allow-list; a malformed entry throws, which fails startup. */
  public static List<Cidr> cidrs(Optional<List<String>> entries) {
    return entries.orElse(List.of()).stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList();
  }
}
