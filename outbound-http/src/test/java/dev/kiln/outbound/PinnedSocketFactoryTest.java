package dev.kiln.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class PinnedSocketFactoryTest {

  private final PinnedSocketFactory factory =
      new PinnedSocketFactory(
          (SSLSocketFactory) SSLSocketFactory.getDefault(), InetAddress.getLoopbackAddress());

  @Test
  void theSocketConnectsToThePinnedAddressWhateverItIsAskedFor() throws IOException {
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket socket = factory.createSocket()) {
      // why: an unresolved name, so asking for it costs no lookup; only the port is taken from it
      socket.connect(
          InetSocketAddress.createUnresolved("rebound.example.test", listening.getLocalPort()),
          2000);

      assertThat(socket.getInetAddress()).isEqualTo(InetAddress.getLoopbackAddress());
      assertThat(socket.getPort()).isEqualTo(listening.getLocalPort());
    }
  }

  @Test
  void connectionsByNameAreRefused() {
    assertThatThrownBy(() -> factory.createSocket("example.test", 443))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> factory.createSocket(InetAddress.getLoopbackAddress(), 443))
        .isInstanceOf(IOException.class);
  }

  @Test
  void tlsIsOnlyLayeredOverPinnedSockets() throws IOException {
    try (Socket plain = new Socket()) {
      assertThatThrownBy(() -> factory.createSocket(plain, "example.test", 443, true))
          .isInstanceOf(IOException.class);
    }
  }
}
