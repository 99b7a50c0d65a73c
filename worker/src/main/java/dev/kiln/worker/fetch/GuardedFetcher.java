package dev.kiln.worker.fetch;

import dev.kiln.worker.fetch.FetchException.Kind;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import org.jboss.logging.Logger;

/**
 * Fetches http(s) URLs through the SSRF guard. For the first URL and for every redirect hop:
 *
 * <ol>
 *   <li>only {@code http} and {@code https}, no credentials in the URL, a valid host;
 *   <li>a host that spells an address in any form is taken as that address ({@link HostParser});
 *       {@code localhost} and {@code *.localhost} are refused by name; any other name is resolved
 *       once, and <em>every</em> address it resolves to must pass the {@link AddressGuard};
 *   <li>the connection goes to the checked address, never to a second resolution (DNS rebinding):
 *       over http the checked address is used as if it were a proxy, so the request line carries
 *       the absolute URL and the {@code Host} header the original host (RFC 9112 obliges servers to
 *       accept that form); over https a {@link PinnedSocketFactory} connects to it while TLS uses
 *       the original host for SNI and certificate checks.
 * </ol>
 *
 * Redirects are followed here, never by the JDK, up to the policy's limit. Connect and read
 * timeouts, a deadline for the whole fetch and a size cap apply; the body is a {@link FetchedBody}.
 */
public final class GuardedFetcher implements UrlFetcher {

  /** Sees every address right before a connection to it is opened. */
  @FunctionalInterface
  interface ConnectListener {
    void connecting(InetAddress address) throws IOException;
  }

  private static final Logger LOG = Logger.getLogger(GuardedFetcher.class);
  private static final int MAX_URL_LENGTH = 8192;
  private static final String USER_AGENT = "Kiln-Worker";

  private final FetchPolicy policy;
  private final AddressGuard guard;
  private final HostResolver resolver;
  private final SSLSocketFactory tls;
  private final ConnectListener listener;
  private final LongSupplier clock;

  public GuardedFetcher(FetchPolicy policy, HostResolver resolver) {
    this(
        policy,
        resolver,
        (SSLSocketFactory) SSLSocketFactory.getDefault(),
        address -> {},
        System::nanoTime);
  }

  GuardedFetcher(
      FetchPolicy policy,
      HostResolver resolver,
      SSLSocketFactory tls,
      ConnectListener listener,
      LongSupplier clock) {
    this.policy = policy;
    this.guard = new AddressGuard(policy.allowed());
    this.resolver = resolver;
    this.tls = tls;
    this.listener = listener;
    this.clock = clock;
  }

  @Override
  public FetchedBody open(String url) throws FetchException {
    long deadline = clock.getAsLong() + policy.maxDuration().toNanos();
    URI current = target(url);
    for (int redirects = 0; ; redirects++) {
      InetAddress address = checkedAddress(current);
      HttpURLConnection conn = connect(current, address);
      String host = current.getHost();
      int status;
      try {
        status = conn.getResponseCode();
      } catch (IOException e) {
        conn.disconnect();
        throw failed(host, e);
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
          throw new FetchException(Kind.TRANSIENT, "fetching from " + host + " took too long");
        }
        current = target(redirect(current, location));
        continue;
      }
      if (status < 200 || status > 299) {
        conn.disconnect();
        boolean later = status >= 500 || status == 408 || status == 429;
        throw new FetchException(
            later ? Kind.TRANSIENT : Kind.PERMANENT, host + " answered HTTP " + status);
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
        throw failed(host, e);
      }
    }
  }

  /** The URL as a normalized absolute http(s) URI with a server host, or refused. */
  static URI target(String url) throws FetchException {
    if (url == null || url.length() > MAX_URL_LENGTH) {
      throw forbidden("the URL is missing or too long");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw forbidden("the URL is not valid");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw forbidden("only http and https URLs can be fetched");
    }
    if (uri.isOpaque() || uri.getRawAuthority() == null) {
      throw forbidden("the URL has no host");
    }
    // why: "http://trusted@evil/" shows one host and connects to another, and credentials
    // in URLs would end up in logs and job messages
    if (uri.getRawUserInfo() != null) {
      throw forbidden("URLs with user information are refused");
    }
    if (uri.getHost() == null) {
      throw forbidden("the URL's host is not valid");
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    try {
      // why: from the raw parts, so escapes stay as the client wrote them; no fragment
      URI result = new URI(scheme + "://" + uri.getRawAuthority() + path + query);
      URL check = result.toURL();
      // why: java.net.URL parses on its own; it must see the very host the guard checks
      if (!uri.getHost().equalsIgnoreCase(check.getHost()) || check.getUserInfo() != null) {
        throw forbidden("the URL's host is ambiguous");
      }
      return result;
    } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
      throw forbidden("the URL is not valid");
    }
  }

  private InetAddress checkedAddress(URI uri) throws FetchException {
    String host = uri.getHost();
    HostParser.Host parsed;
    try {
      parsed = HostParser.parse(host);
    } catch (IllegalArgumentException e) {
      throw forbidden("the host " + host + " is not valid");
    }
    List<InetAddress> addresses;
    if (parsed instanceof HostParser.Literal literal) {
      addresses = List.of(literal.address());
    } else {
      String name = ((HostParser.Name) parsed).name();
      String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
      // why: RFC 6761 reserves these for this very machine, whatever a resolver says
      if (bare.equals("localhost") || bare.endsWith(".localhost")) {
        throw forbidden("fetching from " + host + " is not allowed");
      }
      try {
        addresses = resolver.resolve(name);
      } catch (UnknownHostException e) {
        throw new FetchException(Kind.TRANSIENT, "the host " + host + " could not be resolved");
      }
      if (addresses == null || addresses.isEmpty()) {
        throw new FetchException(Kind.TRANSIENT, "the host " + host + " could not be resolved");
      }
    }
    // why: every address, not just the first: a name may mix public and internal answers, and
    // whichever one a connection uses must have been checked
    for (InetAddress a : addresses) {
      Optional<AddressGuard.Refusal> refusal = guard.check(a);
      if (refusal.isPresent()) {
        LOG.infof(
            "refused to fetch from %s: it resolves to %s (%s)",
            host, a.getHostAddress(), refusal.get());
        throw forbidden("fetching from " + host + " is not allowed: it is not a public address");
      }
    }
    // why: without its host name, so nothing downstream can resolve it again
    return AddressGuard.address(addresses.getFirst().getAddress());
  }

  private HttpURLConnection connect(URI uri, InetAddress address) throws FetchException {
    boolean https = uri.getScheme().equals("https");
    int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
    HttpURLConnection conn;
    try {
      listener.connecting(address);
      URL url = uri.toURL();
      if (https) {
        HttpsURLConnection c = (HttpsURLConnection) url.openConnection(Proxy.NO_PROXY);
        c.setSSLSocketFactory(new PinnedSocketFactory(tls, address));
        conn = c;
      } else {
        Proxy pinned = new Proxy(Proxy.Type.HTTP, new InetSocketAddress(address, port));
        conn = (HttpURLConnection) url.openConnection(pinned);
      }
    } catch (IOException e) {
      throw failed(uri.getHost(), e);
    }
    int timeout = (int) policy.timeout().toMillis();
    conn.setConnectTimeout(timeout);
    conn.setReadTimeout(timeout);
    conn.setInstanceFollowRedirects(false);
    conn.setUseCaches(false);
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

  private static FetchException failed(String host, IOException e) {
    if (e instanceof FetchException f) {
      return f;
    }
    if (e instanceof SocketTimeoutException) {
      return new FetchException(Kind.TRANSIENT, "fetching from " + host + " timed out", e);
    }
    if (e instanceof SSLHandshakeException) {
      // why: a certificate that does not match or is not trusted will not fix itself on retry
      return new FetchException(Kind.PERMANENT, "the TLS handshake with " + host + " failed", e);
    }
    return new FetchException(Kind.TRANSIENT, "the connection to " + host + " failed", e);
  }

  private static FetchException forbidden(String message) {
    return new FetchException(Kind.FORBIDDEN, message);
  }
}
