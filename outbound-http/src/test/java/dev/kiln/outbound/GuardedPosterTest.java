package dev.kiln.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Posts to a server bound to 127.0.0.1 (allowed here); other names resolve through a fixed table,
 * and a fence fails any connection outside loopback before it is opened.
 */
class GuardedPosterTest {

  private HttpServer server;
  private int port;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<InetAddress> connections = new CopyOnWriteArrayList<>();
  private volatile int answer = 200;
  private volatile int answerBytes = 0;

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

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(
        exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI()
            + " "
            + exchange.getRequestHeaders().getFirst("X-Sig")
            + " "
            + body);
    if (answer >= 300 && answer < 400) {
      exchange.getResponseHeaders().add("Location", "http://10.0.0.1/");
    }
    exchange.sendResponseHeaders(answer, answerBytes == 0 ? -1 : answerBytes);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(new byte[answerBytes]);
    } catch (IOException e) {
      // the client stopped reading at its cap
    }
  }

  private GuardedPoster poster() {
    OutboundGuard guard =
        new OutboundGuard(
            List.of(Cidr.parse("127.0.0.1/32")),
            TestFetchers.resolver(
                Map.of("hooks.example.test", "127.0.0.1", "intranet.example.test", "10.1.2.3")),
            (SSLSocketFactory) SSLSocketFactory.getDefault(),
            address -> {
              connections.add(address);
              TestFetchers.fence(address);
            });
    return new GuardedPoster(guard, Duration.ofSeconds(2), Duration.ofSeconds(2), 1024, "Test");
  }

  @Test
  void theBodyAndHeadersArePostedAndTheStatusReturned() throws Exception {
    int status =
        poster()
            .post(
                "http://hooks.example.test:" + port + "/hook?x=1",
                Map.of("X-Sig", "v1,abc"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

    assertThat(status).isEqualTo(200);
    // why: over http the request line carries the absolute URL (the pinned address acts as proxy)
    assertThat(received)
        .containsExactly("POST http://hooks.example.test:" + port + "/hook?x=1 v1,abc {\"a\":1}");
    assertThat(connections).containsExactly(InetAddress.getByName("127.0.0.1"));
  }

  @Test
  void redirectsAreReturnedNotFollowed() throws Exception {
    answer = 307;

    int status = poster().post("http://127.0.0.1:" + port + "/", Map.of(), new byte[0]);

    assertThat(status).isEqualTo(307);
    assertThat(received).hasSize(1);
    assertThat(connections).hasSize(1);
  }

  @Test
  void aLargeAnswerIsCutOffAtTheCapAndTheStatusStillCounts() throws Exception {
    answer = 500;
    answerBytes = 1024 * 1024;

    int status = poster().post("http://127.0.0.1:" + port + "/", Map.of(), new byte[0]);

    assertThat(status).isEqualTo(500);
  }

  @Test
  void aNameResolvingToAPrivateAddressIsRefusedWithoutConnecting() {
    assertThatThrownBy(
            () ->
                poster().post("http://intranet.example.test:" + port + "/", Map.of(), new byte[0]))
        .isInstanceOfSatisfying(
            FetchException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FetchException.Kind.FORBIDDEN);
              assertThat(e.getMessage()).doesNotContain("10.1.2.3");
            });
    assertThat(connections).isEmpty();
    assertThat(received).isEmpty();
  }

  @Test
  void aServerThatIsDownIsATransientFailure() throws Exception {
    server.stop(0);

    assertThatThrownBy(() -> poster().post("http://127.0.0.1:" + port + "/", Map.of(), new byte[0]))
        .isInstanceOfSatisfying(
            FetchException.class,
            e -> assertThat(e.kind()).isEqualTo(FetchException.Kind.TRANSIENT));
  }
}
