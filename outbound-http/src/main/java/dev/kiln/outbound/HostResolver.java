package dev.kiln.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a DNS name into addresses. Injected so tests never query real DNS. */
@FunctionalInterface
public interface HostResolver {

  /** Every address of the name; never empty. */
  List<InetAddress> resolve(String name) throws UnknownHostException;

  /** The system resolver ({@code /etc/hosts}, then DNS). */
  HostResolver SYSTEM = name -> List.of(InetAddress.getAllByName(name));
}
