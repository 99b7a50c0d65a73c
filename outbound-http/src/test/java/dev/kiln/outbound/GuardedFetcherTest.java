package dev.kiln.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kiln.outbound.FetchException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fetches from a server bound to 127.0.0.1, which the test policy allows. Other names resolve
 * through a fixed table, and a fence fails any connection outside loopback before it is opened.
 */
class GuardedFetcherTest {

  private HttpServer server;
  private int port;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<InetAddress> connections = new CopyOnWriteArrayList<>();
  private final List<String> lookups = new CopyOnWriteArrayList<>();
  private final HostResolver table =
      TestFetchers.resolver(
          Map.of(
              "files.example.test", "127.0.0.1",
              "metadata.example.test", "169.254.169.254",
              "intranet.example.test", "10.1.2.3",
              "cgnat.example.test", "100.64.1.1",
              "ula.example.test", "fd00::1",
              "mapped.example.test", "::ffff:a9fe:a9fe",
              "loopback2.example.test", "127.0.0.2"));
  private final HostResolver resolver =
      name -> {
        lookups.add(name);
        return table.resolve(name);
      };

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    port = server.getAddress().getPort();
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void aNameResolvingToAnAllowedAddressIsFetchedWithItsOriginalHost() throws Exception {
    try (FetchedBody body = fetcher().open(url("files.example.test", "/page?q=1"))) {
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(body.contentType()).isEqualTo("text/plain");
      assertThat(body.contentLength()).isEqualTo(5);
    }
    assertThat(requests).containsExactly("GET /page?q=1 Host=files.example.test:" + port);
    assertThat(connections).containsExactly(InetAddress.getByName("127.0.0.1"));
  }

  @Test
  void anAllowedLiteralIsFetchedWithoutResolving() throws Exception {
    try (FetchedBody body = fetcher().open(url("127.0.0.1", "/page"))) {
      assertThat(body.readAllBytes()).hasSize(5);
    }
    assertThat(lookups).isEmpty();
  }

  @Test
  void redirectsWithinAllowedAddressesAreFollowed() throws Exception {
    try (FetchedBody body = fetcher().open(url("files.example.test", "/hop?to=/hop?to=/page"))) {
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
    assertThat(requests).hasSize(3);
  }

  @ParameterizedTest(name = "a redirect to {0} is refused without connecting")
  @ValueSource(
      strings = {
        "http://metadata.example.test/latest/meta-data/",
        "http://intranet.example.test/",
        "http://cgnat.example.test/",
        "http://ula.example.test/",
        "http://mapped.example.test/",
        "http://loopback2.example.test:PORT/page",
        "http://127.0.0.2:PORT/page",
        "http://[::1]:PORT/page",
        "http://[::ffff:127.0.0.2]:PORT/page",
        "http://0.0.0.0:PORT/page",
        "http://localhost:PORT/page",
        "http://localhost.:PORT/page",
        "file:///etc/passwd",
        "gopher://files.example.test/",
        "http://files.example.test@metadata.example.test/",
      })
  void everyRedirectHopIsCheckedAgain(String target) throws Exception {
    String location = target.replace("PORT", Integer.toString(port));
    String start =
        url("files.example.test", "/hop?to=" + URLEncoder.encode(location, StandardCharsets.UTF_8));

    assertThatThrownBy(() -> fetcher().open(start))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
    assertThat(requests).hasSize(1);
    assertThat(connections).containsExactly(InetAddress.getByName("127.0.0.1"));
  }

  @ParameterizedTest(name = "{0} is refused without resolving or connecting")
  @ValueSource(
      strings = {
        "file:///etc/passwd",
        "ftp://files.example.test/x",
        "jar:http://files.example.test/x.jar!/a",
        "gopher://files.example.test:70/_x",
        "data:text/plain,hi",
        "dict://files.example.test:11211/",
        "HTTP:/files.example.test/",
        "http:///path",
        "http://127.0.0.1@metadata.example.test/",
        "http://user:secret@files.example.test/",
        "http://@files.example.test/",
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.2]/",
        "http://0.0.0.0/",
        "http://localhost/",
        "http://localhost./",
        "http://api.localhost/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://10.0.0.1/",
        "http://192.168.0.1/",
        "http://100.64.0.1/",
        "http://[fe80::1%25eth0]/",
        "http://1.2.3.4.5/",
        "http://evil.test\\@127.0.0.1/",
        "not a url",
      })
  void refusedUrlsNeverReachTheResolverOrTheNetwork(String url) {
    assertThatThrownBy(() -> strictFetcher().open(url))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
    assertThat(lookups).isEmpty();
    assertThat(connections).isEmpty();
  }

  @Test
  void everyAddressOfANameMustBeAllowed() {
    HostResolver mixed =
        name ->
            List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("169.254.169.254"));
    GuardedFetcher fetcher = fetcher(TestFetchers.loopbackPolicy(), mixed);

    assertThatThrownBy(() -> fetcher.open(url("files.example.test", "/page")))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN));
    assertThat(connections).isEmpty();
  }

  @Test
  void refusalsNameTheHostButNoAddress() {
    assertThatThrownBy(() -> fetcher().open("http://metadata.example.test/"))
        .hasMessageContaining("metadata.example.test")
        .hasMessageNotContaining("169.254")
        .hasMessageNotContaining("LINK")
        .hasMessageNotContaining("METADATA");
  }

  @Test
  void aNameThatDoesNotResolveMayWorkLater() {
    assertThatThrownBy(() -> fetcher().open("http://nowhere.example.test/"))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT));
  }

  @Test
  void aDeclaredLengthAboveTheCapIsRefusedBeforeTheBodyIsRead() {
    GuardedFetcher fetcher = fetcher(policy(100, Duration.ofSeconds(5), 5), resolver);

    assertThatThrownBy(() -> fetcher.open(url("files.example.test", "/big?n=1000")))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE));
  }

  @Test
  void aBodyWithoutLengthIsCutOffPastTheCap() throws Exception {
    GuardedFetcher fetcher = fetcher(policy(100, Duration.ofSeconds(5), 5), resolver);

    try (FetchedBody body = fetcher.open(url("files.example.test", "/chunked?n=100000"))) {
      assertThat(body.contentLength()).isEqualTo(-1);
      assertThatThrownBy(body::readAllBytes)
          .isInstanceOfSatisfying(
              FetchException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE));
      assertThat(body.count()).isEqualTo(101);
    }
  }

  @Test
  void aBodyOfExactlyTheCapIsDelivered() throws Exception {
    GuardedFetcher fetcher = fetcher(policy(100, Duration.ofSeconds(5), 5), resolver);

    try (FetchedBody body = fetcher.open(url("files.example.test", "/chunked?n=100"))) {
      assertThat(body.readAllBytes()).hasSize(100);
    }
  }

  @Test
  void aBodyShorterThanItsDeclaredLengthIsACutOffTransfer() throws Exception {
    try (FetchedBody body = fetcher().open(url("files.example.test", "/short"))) {
      assertThatThrownBy(body::readAllBytes)
          .isInstanceOfSatisfying(
              FetchException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT));
    }
  }

  @Test
  void aServerThatDoesNotAnswerInTimeFailsTransiently() {
    GuardedFetcher fetcher = fetcher(policy(1000, Duration.ofMillis(200), 5), resolver);

    long started = System.nanoTime();
    assertThatThrownBy(() -> fetcher.open(url("files.example.test", "/slow")))
        .isInstanceOfSatisfying(
            FetchException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
              assertThat(e.isTimeout()).isTrue();
            });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aFetchPastItsDeadlineFailsAtTheNextRead() throws Exception {
    AtomicLong now = new AtomicLong();
    FetchPolicy policy =
        new FetchPolicy(
            List.of(Cidr.parse("127.0.0.1/32")),
            1000,
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            5);
    GuardedFetcher fetcher =
        new GuardedFetcher(
            policy,
            resolver,
            (SSLSocketFactory) SSLSocketFactory.getDefault(),
            this::connecting,
            now::get);

    try (FetchedBody body = fetcher.open(url("files.example.test", "/page"))) {
      now.addAndGet(Duration.ofSeconds(11).toNanos());
      assertThatThrownBy(() -> body.read())
          .isInstanceOfSatisfying(
              FetchException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
                assertThat(e.isTimeout()).isTrue();
              });
    }
  }

  @Test
  void tooManyRedirectsFail() {
    GuardedFetcher fetcher = fetcher(policy(1000, Duration.ofSeconds(5), 2), resolver);

    assertThatThrownBy(() -> fetcher.open(url("files.example.test", "/loop")))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PERMANENT));
    assertThat(requests).hasSize(3);
  }

  @Test
  void serverErrorsMayWorkLaterAndClientErrorsWillNot() {
    assertThatThrownBy(() -> fetcher().open(url("files.example.test", "/status?code=503")))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT));
    assertThatThrownBy(() -> fetcher().open(url("files.example.test", "/status?code=429")))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT));
    assertThatThrownBy(() -> fetcher().open(url("files.example.test", "/status?code=404")))
        .isInstanceOfSatisfying(
            FetchException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
              assertThat(e.httpStatus()).isEqualTo(404);
              assertThat(e.isTimeout()).isFalse();
            });
  }

  @Test
  void aClosedPortFailsTransiently() throws Exception {
    server.stop(0);

    assertThatThrownBy(() -> fetcher().open(url("127.0.0.1", "/page")))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT));
  }

  // --- server -------------------------------------------------------------------------------

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getQuery();
      requests.add(
          ex.getRequestMethod()
              + " "
              + path
              + (query == null ? "" : "?" + query)
              + " Host="
              + ex.getRequestHeaders().getFirst("Host"));
      String arg = query == null ? "" : query.substring(query.indexOf('=') + 1);
      switch (path) {
        case "/page" -> {
          ex.getResponseHeaders().add("Content-Type", "text/plain");
          send(ex, 200, "hello".getBytes(StandardCharsets.UTF_8));
        }
        case "/hop" -> {
          ex.getResponseHeaders().add("Location", arg);
          ex.sendResponseHeaders(302, -1);
        }
        case "/loop" -> {
          ex.getResponseHeaders().add("Location", "/loop");
          ex.sendResponseHeaders(301, -1);
        }
        case "/big" -> send(ex, 200, new byte[Integer.parseInt(arg)]);
        case "/chunked" -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(new byte[Integer.parseInt(arg)]);
          }
        }
        case "/short" -> {
          ex.sendResponseHeaders(200, 100);
          OutputStream out = ex.getResponseBody();
          out.write(new byte[50]);
          out.flush();
          // why: closing the exchange with bytes missing drops the connection
        }
        case "/slow" -> {
          sleep(3000);
          send(ex, 200, new byte[1]);
        }
        case "/status" -> ex.sendResponseHeaders(Integer.parseInt(arg), -1);
        default -> ex.sendResponseHeaders(404, -1);
      }
    } catch (IOException e) {
      // why: the client gave up on purpose in some tests
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- helpers ------------------------------------------------------------------------------

  private String url(String host, String pathAndQuery) {
    return "http://" + host + ":" + port + pathAndQuery;
  }

  private void connecting(InetAddress address) {
    TestFetchers.fence(address);
    connections.add(address);
  }

  private GuardedFetcher fetcher() {
    return fetcher(TestFetchers.loopbackPolicy(), resolver);
  }

  /** No allow-list at all: the production defaults. */
  private GuardedFetcher strictFetcher() {
    return fetcher(
        new FetchPolicy(List.of(), 1000, Duration.ofSeconds(5), Duration.ofMinutes(1), 5),
        resolver);
  }

  private static FetchPolicy policy(long maxBytes, Duration timeout, int maxRedirects) {
    return new FetchPolicy(
        List.of(Cidr.parse("127.0.0.1/32")),
        maxBytes,
        timeout,
        Duration.ofMinutes(1),
        maxRedirects);
  }

  private GuardedFetcher fetcher(FetchPolicy policy, HostResolver resolver) {
    return new GuardedFetcher(
        policy,
        resolver,
        (SSLSocketFactory) SSLSocketFactory.getDefault(),
        this::connecting,
        System::nanoTime);
  }
}
