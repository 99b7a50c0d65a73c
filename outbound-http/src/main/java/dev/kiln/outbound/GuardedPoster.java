package dev.kiln.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Sends one POST through the SSRF guard ({@link OutboundGuard}) and reports the status code. Made
 * for callbacks (webhooks), where the receiver's answer is only a status:
 *
 * <ul>
 *   <li>redirects are <em>not</em> followed: a 3xx is returned as the status, so the caller treats
 *       it as a failure and no hop can lead past the guard;
 *   <li>connect and read timeouts, and a deadline for reading the response;
 *   <li>at most {@code maxResponseBytes} of the response body are read, then the connection is
 *       dropped; the body is never returned, so a receiver cannot use it to make Kiln relay
 *       anything.
 * </ul>
 */
public final class GuardedPoster {

  private final OutboundGuard guard;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final long maxResponseBytes;
  private final String userAgent;

  public GuardedPoster(
      OutboundGuard guard,
      Duration connectTimeout,
      Duration readTimeout,
      long maxResponseBytes,
      String userAgent) {
    if (connectTimeout.isNegative()
        || connectTimeout.isZero()
        || readTimeout.isNegative()
        || readTimeout.isZero()
        || maxResponseBytes < 0) {
      throw new IllegalArgumentException("timeouts must be positive and the cap not negative");
    }
    this.guard = guard;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.maxResponseBytes = maxResponseBytes;
    this.userAgent = userAgent;
  }

  /**
   * Posts {@code body} to {@code url}.
   *
   * @return the HTTP status the receiver answered, whatever it is (3xx included)
   * @throws FetchException when the guard refuses the URL or an address it resolves to (kind {@code
   *     FORBIDDEN}, nothing was sent), or the exchange failed (timeout, connection, TLS)
   */
  public int post(String url, Map<String, String> headers, byte[] body) throws FetchException {
    URI uri = OutboundGuard.target(url);
    InetAddress address = guard.checkedAddress(uri);
    HttpURLConnection conn = guard.open(uri, address, connectTimeout, readTimeout);
    String host = uri.getHost();
    try {
      conn.setRequestMethod("POST");
      conn.setDoOutput(true);
      conn.setFixedLengthStreamingMode(body.length);
      conn.setRequestProperty("User-Agent", userAgent);
      conn.setRequestProperty("Accept-Encoding", "identity");
      headers.forEach(conn::setRequestProperty);
      try (OutputStream out = conn.getOutputStream()) {
        out.write(body);
      }
      int status = conn.getResponseCode();
      drain(conn, status);
      return status;
    } catch (IOException e) {
      throw FetchException.failed(host, e);
    } finally {
      conn.disconnect();
    }
  }

  /**
   * why: reading (a bounded part of) the answer lets the receiver finish its response; anything
   * past the cap or the deadline is cut off with the connection.
   */
  private void drain(HttpURLConnection conn, int status) {
    long deadline = System.nanoTime() + readTimeout.toNanos();
    try (InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream()) {
      if (in == null) {
        return;
      }
      byte[] buf = new byte[8192];
      long read = 0;
      while (read < maxResponseBytes && System.nanoTime() - deadline < 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, maxResponseBytes - read));
        if (n < 0) {
          return;
        }
        read += n;
      }
    } catch (IOException e) {
      // why: the status is already known and decides the outcome; a broken body changes nothing
    }
  }
}
