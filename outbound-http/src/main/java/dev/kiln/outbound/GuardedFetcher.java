package dev.kiln.outbound;

import dev.kiln.outbound.FetchException.Kind;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches http(s) URLs through the SSRF guard ({@link OutboundGuard}), which checks the first URL
 * and every redirect hop and connects only to the address it checked.
 *
 * <p>Redirects are followed here, never by the JDK, up to the policy's limit. Connect and read
 * timeouts, a deadline for the whole fetch and a size cap apply; the body is a {@link FetchedBody}.
 */
public final class GuardedFetcher implements UrlFetcher {

  private static final String USER_AGENT = "Kiln-Worker";

  private final FetchPolicy policy;
  private final OutboundGuard guard;
  private final LongSupplier clock;

  public GuardedFetcher(FetchPolicy policy, HostResolver resolver) {
    this(
        policy,
        resolver,
        (SSLSocketFactory) SSLSocketFactory.getDefault(),
        ConnectListener.NONE,
        System::nanoTime);
  }

  GuardedFetcher(
      FetchPolicy policy,
      HostResolver resolver,
      SSLSocketFactory tls,
      ConnectListener listener,
      LongSupplier clock) {
    this.policy = policy;
    this.guard = new OutboundGuard(policy.allowed(), resolver, tls, listener);
    this.clock = clock;
  }

  @Override
  public FetchedBody open(String url) throws FetchException {
    long deadline = clock.getAsLong() + policy.maxDuration().toNanos();
    URI current = OutboundGuard.target(url);
    for (int redirects = 0; ; redirects++) {
      InetAddress address = guard.checkedAddress(current);
      HttpURLConnection conn = connect(current, address);
      String host = current.getHost();
      int status;
      try {
        status = conn.getResponseCode();
      } catch (IOException e) {
        conn.disconnect();
        throw FetchException.failed(host, e);
      }
      if (isRedirect(status)) {
        String location = conn.getHeaderField("Location");
        conn.disconnect();
        if (location == null || location.isBlank()) {
          throw new FetchException(Kind.PERMANENT, host + " redirected without a location");
        }
        if (redirects >= policy.maxRedirects()) {
          throw new FetchException(
              Kind.PERMANENT, "more than " + policy.maxRedirects() + " redirects from " + host);
        }
        if (clock.getAsLong() - deadline > 0) {
          throw FetchException.timedOut("fetching from " + host + " took too long", null);
        }
        current = OutboundGuard.target(redirect(current, location));
        continue;
      }
      if (status < 200 || status > 299) {
        conn.disconnect();
        throw FetchException.httpStatus(host, status);
      }
      long length = conn.getContentLengthLong();
      if (length > policy.maxBytes()) {
        conn.disconnect();
        throw new FetchException(
            Kind.TOO_LARGE,
            "the response from " + host + " is larger than " + policy.maxBytes() + " bytes");
      }
      try {
        return new FetchedBody(
            conn.getInputStream(),
            host,
            conn.getContentType(),
            length,
            policy.maxBytes(),
            deadline,
            clock,
            conn::disconnect);
      } catch (IOException e) {
        conn.disconnect();
        throw FetchException.failed(host, e);
      }
    }
  }

  /** The URL as a normalized absolute http(s) URI with a server host, or refused. */
  static URI target(String url) throws FetchException {
    return OutboundGuard.target(url);
  }

  private HttpURLConnection connect(URI uri, InetAddress address) throws FetchException {
    HttpURLConnection conn = guard.open(uri, address, policy.timeout(), policy.timeout());
    conn.setRequestProperty("User-Agent", USER_AGENT);
    conn.setRequestProperty("Accept", "*/*");
    // why: the size cap counts the bytes a stage reads, so they must be the bytes on the wire
    conn.setRequestProperty("Accept-Encoding", "identity");
    return conn;
  }

  private static String redirect(URI from, String location) throws FetchException {
    try {
      return from.resolve(new URI(location.strip())).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new FetchException(Kind.PERMANENT, from.getHost() + " redirected to an invalid URL");
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }
}
