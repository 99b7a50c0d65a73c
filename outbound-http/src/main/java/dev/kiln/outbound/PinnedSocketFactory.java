package dev.kiln.outbound;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.ssl.SSLSocketFactory;

/**
 * Makes {@code HttpsURLConnection} connect to the address the guard checked, whatever the name
 * resolves to by the time it connects (DNS rebinding). The connection first asks this factory for
 * an unconnected socket, connects it to {@code (host, port)}, then layers TLS over it with the
 * URL's host for SNI and certificate checks: the socket returned here swaps the destination for the
 * checked address, keeping only the port.
 *
 * <p>The JDK still resolves the host name once to build the address it passes to {@code connect}
 * (in {@code sun.net.NetworkClient}); that lookup's answer is ignored.
 */
final class PinnedSocketFactory extends SSLSocketFactory {

  private final SSLSocketFactory tls;
  private final InetAddress pinned;

  PinnedSocketFactory(SSLSocketFactory tls, InetAddress pinned) {
    this.tls = tls;
    this.pinned = pinned;
  }

  @Override
  public Socket createSocket() {
    return new PinnedSocket(pinned);
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose)
      throws IOException {
    if (!(s instanceof PinnedSocket)) {
      throw new IOException("refusing to layer TLS over a socket this factory did not connect");
    }
    return tls.createSocket(s, host, port, autoClose);
  }

  // why: the connection falls back to these when layering fails; they would resolve the name again
  @Override
  public Socket createSocket(String host, int port) throws IOException {
    throw new IOException("unpinned connections are refused");
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    throw new IOException("unpinned connections are refused");
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    throw new IOException("unpinned connections are refused");
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    throw new IOException("unpinned connections are refused");
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return tls.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return tls.getSupportedCipherSuites();
  }

  /** A plain socket that only ever connects to the checked address. */
  static final class PinnedSocket extends Socket {
    private final InetAddress pinned;

    PinnedSocket(InetAddress pinned) {
      this.pinned = pinned;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
      connect(endpoint, 0);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (!(endpoint instanceof InetSocketAddress target)) {
        throw new IOException("unsupported address type");
      }
      super.connect(new InetSocketAddress(pinned, target.getPort()), timeout);
    }
  }
}
