package dev.kiln.bench.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Plain HTTP/1.1 requests over a pool of kept-alive sockets, one blocking exchange per caller
 * (virtual) thread.
 *
 * <p>why: the load generator shares the machine's two cores with the platform it measures. {@link
 * java.net.http.HttpClient} spent about 0.7 CPU-ms per single submit (its selector thread, futures
 * and per-request copies), a sixth of the machine at 500 requests/s; a blocking exchange on a kept
 * socket costs a fraction of that, so the cores go to the platform under test instead.
 */
public final class KeepAliveConnections implements AutoCloseable {

  /** Status and body of an answered request. */
  public record Answer(int status, String body) {}

  private final String host;
  private final int port;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

  public KeepAliveConnections(String baseUrl) {
    URI uri = URI.create(baseUrl);
    if (!"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException("only http:// gateways are supported: " + baseUrl);
    }
    this.host = uri.getHost();
    this.port = uri.getPort() < 0 ? 80 : uri.getPort();
  }

  /**
   * Sends a request with a JSON body (or none when {@code json} is null) and reads the answer. A
   * connection that failed is closed, never reused; the request is not retried, since a POST may
   * have been applied.
   */
  public Answer send(String method, String path, String bearer, String json, Duration timeout)
      throws IOException {
    Connection connection = idle.pollFirst();
    if (connection == null) {
      connection = Connection.open(host, port);
    }
    boolean reusable = false;
    try {
      connection.socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
      StringBuilder head =
          new StringBuilder(256)
              .append(method)
              .append(' ')
              .append(path)
              .append(" HTTP/1.1\r\nHost: ")
              .append(host)
              .append(':')
              .append(port)
              .append("\r\nAuthorization: Bearer ")
              .append(bearer)
              .append("\r\nAccept: application/json\r\n");
      if (json != null) {
        head.append("Content-Type: application/json\r\n");
      }
      head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      OutputStream out = connection.out;
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      Response response = Response.read(connection.in);
      reusable = response.keepAlive();
      return new Answer(response.status(), response.body());
    } finally {
      if (reusable) {
        idle.offerFirst(connection);
      } else {
        connection.close();
      }
    }
  }

  @Override
  public void close() {
    for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
      c.close();
    }
  }

  private record Connection(Socket socket, InputStream in, OutputStream out) {
    static Connection open(String host, int port) throws IOException {
      Socket socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      return new Connection(
          socket, new BufferedInputStream(socket.getInputStream(), 8192), socket.getOutputStream());
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }

  /** One parsed response: fixed-length or chunked body; anything else closes the connection. */
  record Response(int status, String body, boolean keepAlive) {

    static Response read(InputStream in) throws IOException {
      String statusLine = line(in);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x response: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      long length = -1;
      boolean chunked = false;
      boolean close = parts[0].equals("HTTP/1.0");
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        int colon = header.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.contains("chunked");
          case "connection" -> close = value.contains("close");
          default -> {}
        }
      }
      byte[] body;
      if (chunked) {
        body = chunkedBody(in);
      } else if (length >= 0) {
        body = in.readNBytes((int) length);
        if (body.length < length) {
          throw new IOException("connection closed inside a body");
        }
      } else {
        body = in.readAllBytes();
        close = true;
      }
      return new Response(status, new String(body, StandardCharsets.UTF_8), !close);
    }

    private static byte[] chunkedBody(InputStream in) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (true) {
        String size = line(in);
        int semicolon = size.indexOf(';');
        int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        if (n == 0) {
          for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
            // trailers are not used
          }
          return out.toByteArray();
        }
        byte[] chunk = in.readNBytes(n);
        if (chunk.length < n) {
          throw new IOException("connection closed inside a chunk");
        }
        out.write(chunk);
        line(in);
      }
    }

    /** A line without its CRLF; fails at the end of the stream. */
    private static String line(InputStream in) throws IOException {
      StringBuilder line = new StringBuilder(64);
      for (int b = in.read(); ; b = in.read()) {
        if (b < 0) {
          throw new IOException("connection closed before the response ended");
        }
        if (b == '\n') {
          int end = line.length();
          return end > 0 && line.charAt(end - 1) == '\r'
              ? line.substring(0, end - 1)
              : line.toString();
        }
        line.append((char) b);
      }
    }
  }
}
