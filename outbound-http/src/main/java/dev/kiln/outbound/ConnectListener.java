package dev.kiln.outbound;

import java.io.IOException;
import java.net.InetAddress;

/**
 * Sees every address right before a connection to it is opened, after the guard has checked it.
 * Tests install a fence here that refuses anything outside loopback, so even a broken guard sends
 * no traffic off the machine.
 */
@FunctionalInterface
public interface ConnectListener {

  /** Called before connecting; throwing stops the connection. */
  void connecting(InetAddress address) throws IOException;

  /** Lets every connection through. */
  ConnectListener NONE = address -> {};
}
