package dev.kiln.outbound;

import dev.kiln.outbound.FetchException.Kind;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The SSRF checks every outbound request of Kiln goes through, whatever it does with the response:
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
 * {@link #precheck} applies steps 1 and 2 without resolving, for refusing a URL when it is
 * submitted; the full check runs again when the request is made.
 */
public final class OutboundGuard {

  private static final System.Logger LOG = System.getLogger(OutboundGuard.class.getName());
  static final int MAX_URL_LENGTH = 8192;

  private final AddressGuard guard;
  private final HostResolver resolver;
  private final SSLSocketFactory tls;
  private final ConnectListener listener;

  /**
   * @param allowed blocks allowed although the guard refuses them
   * @param resolver how names become addresses
   * @param tls the TLS layer for https
   * @param listener sees every checked address before a connection to it is opened
   */
  public OutboundGuard(
      List<Cidr> allowed, HostResolver resolver, SSLSocketFactory tls, ConnectListener listener) {
    this.guard = new AddressGuard(allowed);
    this.resolver = resolver;
    this.tls = tls;
    this.listener = listener;
  }

  public OutboundGuard(List<Cidr> allowed, HostResolver resolver) {
    this(allowed, resolver, (SSLSocketFactory) SSLSocketFactory.getDefault(), ConnectListener.NONE);
  }

  /**
   * Refuses what no resolution could make acceptable: a URL that is not absolute http(s), carries
   * user information, or whose host is an address the guard refuses or a {@code localhost} name.
   * Never resolves: a name passes here and is checked when the request is made.
   *
   * @throws FetchException of kind {@link Kind#FORBIDDEN}, with a message safe to show the client
   */
  public void precheck(String url) throws FetchException {
    URI uri = target(url);
    HostParser.Host parsed = parse(uri.getHost());
    if (parsed instanceof HostParser.Literal literal) {
      check(uri.getHost(), literal.address());
    } else {
      refuseLocalName(uri.getHost(), (HostParser.Name) parsed);
    }
  }

  /** The URL as a normalized absolute http(s) URI with a server host, or refused. */
  public static URI target(String url) throws FetchException {
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
      throw forbidden("only http and https URLs are allowed");
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

  /** Resolves the URI's host (unless it is a literal) and checks every address it leads to. */
  public InetAddress checkedAddress(URI uri) throws FetchException {
    String host = uri.getHost();
    HostParser.Host parsed = parse(host);
    List<InetAddress> addresses;
    if (parsed instanceof HostParser.Literal literal) {
      addresses = List.of(literal.address());
    } else {
      HostParser.Name name = (HostParser.Name) parsed;
      refuseLocalName(host, name);
      try {
        addresses = resolver.resolve(name.name());
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
      check(host, a);
    }
    // why: without its host name, so nothing downstream can resolve it again
    return AddressGuard.address(addresses.getFirst().getAddress());
  }

  /**
   * Opens a connection to {@code uri} that goes to {@code address} (from {@link #checkedAddress})
   * and never follows redirects, ignores system proxies and caches.
   */
  public HttpURLConnection open(
      URI uri, InetAddress address, Duration connectTimeout, Duration readTimeout)
      throws FetchException {
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
      throw FetchException.failed(uri.getHost(), e);
    }
    conn.setConnectTimeout(millis(connectTimeout));
    conn.setReadTimeout(millis(readTimeout));
    conn.setInstanceFollowRedirects(false);
    conn.setUseCaches(false);
    return conn;
  }

  private static int millis(Duration d) {
    return (int) Math.clamp(d.toMillis(), 1, Integer.MAX_VALUE);
  }

  private void check(String host, InetAddress address) throws FetchException {
    Optional<AddressGuard.Refusal> refusal = guard.check(address);
    if (refusal.isPresent()) {
      LOG.log(
          Level.INFO,
          "refused a request to {0}: it resolves to {1} ({2})",
          host,
          address.getHostAddress(),
          refusal.get());
      throw forbidden("requests to " + host + " are not allowed: it is not a public address");
    }
  }

  private static HostParser.Host parse(String host) throws FetchException {
    try {
      return HostParser.parse(host);
    } catch (IllegalArgumentException e) {
      throw forbidden("the host " + host + " is not valid");
    }
  }

  private static void refuseLocalName(String host, HostParser.Name name) throws FetchException {
    String n = name.name();
    String bare = n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    // why: RFC 6761 reserves these for this very machine, whatever a resolver says
    if (bare.equals("localhost") || bare.endsWith(".localhost")) {
      throw forbidden("requests to " + host + " are not allowed");
    }
  }

  static FetchException forbidden(String message) {
    return new FetchException(Kind.FORBIDDEN, message);
  }
}
