package dev.kiln.worker.extraction.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.outbound.Cidr;
import dev.kiln.outbound.FetchPolicy;
import dev.kiln.outbound.GuardedFetcher;
import dev.kiln.worker.pipeline.StageFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fetch stage against a server on 127.0.0.1; every failure has its own code. */
class PageFetcherTest {

  private static final Runnable GOING_ON = () -> {};
  private static final byte[] PAGE =
      "<!doctype html><html><head><title>Soup</title></head><body><p>Gr\u00fc\u00dfe</p></body></html>"
          .getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private final AtomicInteger connections = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          connections.incrementAndGet();
          try (ex) {
            String path = ex.getRequestURI().getPath();
            switch (path) {
              case "/page" -> send(ex, 200, "text/html; charset=utf-8", PAGE);
              case "/latin1" ->
                  send(
                      ex,
                      200,
                      "text/html; charset=ISO-8859-1",
                      "<p>Gr\u00fc\u00dfe</p>".getBytes(StandardCharsets.ISO_8859_1));
              case "/pdf" -> send(ex, 200, "application/pdf", "%PDF-1.7".getBytes());
              case "/missing" -> send(ex, 404, "text/html", "<p>no</p>".getBytes());
              case "/busy" -> send(ex, 503, "text/html", "<p>later</p>".getBytes());
              case "/big" -> send(ex, 200, "text/html", ("<p>" + "x".repeat(5000)).getBytes());
              case "/slow" -> {
                sleep(2_000);
                send(ex, 200, "text/html", PAGE);
              }
              default -> send(ex, 404, "text/plain", new byte[0]);
            }
          } catch (IOException e) {
            // why: the client may hang up at a limit
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void send(
      com.sun.net.httpserver.HttpExchange ex, int status, String type, byte[] b)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static PageFetcher fetcher(long maxBytes, Duration timeout, String... allowed) {
    FetchPolicy policy =
        new FetchPolicy(
            java.util.Arrays.stream(allowed).map(Cidr::parse).toList(),
            maxBytes,
            timeout,
            Duration.ofSeconds(30),
            3);
    return new PageFetcher(
        new GuardedFetcher(
            policy,
            name ->
                name.equals("intranet.example.test")
                    ? List.of(InetAddress.getByAddress(new byte[] {10, 1, 2, 3}))
                    : List.of(InetAddress.getLoopbackAddress())),
        maxBytes);
  }

  private static PageFetcher allowingLoopback() {
    return fetcher(4096, Duration.ofSeconds(5), "127.0.0.1/32");
  }

  private static StageFailure failureOf(PageFetcher f, String url) {
    try {
      f.fromUrl(url, GOING_ON);
    } catch (StageFailure e) {
      return e;
    }
    throw new AssertionError("expected the fetch of " + url + " to fail");
  }

  @Test
  void pageIsDecodedWithTheCharsetItsHeaderNames() throws Exception {
    PageSource page = allowingLoopback().fromUrl(url("/page"), GOING_ON);

    assertThat(page.html()).contains("Gr\u00fc\u00dfe");
    assertThat(page.contentType()).isEqualTo("text/html");
    assertThat(page.bytes()).isEqualTo(PAGE);
    assertThat(allowingLoopback().fromUrl(url("/latin1"), GOING_ON).html())
        .contains("Gr\u00fc\u00dfe");
  }

  @Test
  void notFoundFailsWithTheStatusAndIsNotRetried() {
    StageFailure f = failureOf(allowingLoopback(), url("/missing"));

    assertThat(f.code()).isEqualTo("FETCH_HTTP_STATUS");
    assertThat(f.getMessage()).contains("404");
    assertThat(f.retryable()).isFalse();
    assertThat(failureOf(allowingLoopback(), url("/busy")).retryable()).isTrue();
  }

  @Test
  void aServerThatDoesNotAnswerInTimeFailsWithFetchTimeoutAndIsRetried() {
    StageFailure f = failureOf(fetcher(4096, Duration.ofMillis(300), "127.0.0.1/32"), url("/slow"));

    assertThat(f.code()).isEqualTo("FETCH_TIMEOUT");
    assertThat(f.retryable()).isTrue();
  }

  @Test
  void aPageLargerThanTheLimitFailsWithFetchTooLarge() {
    StageFailure f = failureOf(allowingLoopback(), url("/big"));

    assertThat(f.code()).isEqualTo("FETCH_TOO_LARGE");
    assertThat(f.retryable()).isFalse();
  }

  @Test
  void aPdfIsAnUnsupportedContentType() {
    StageFailure f = failureOf(allowingLoopback(), url("/pdf"));

    assertThat(f.code()).isEqualTo("UNSUPPORTED_CONTENT_TYPE");
    assertThat(f.getMessage()).contains("application/pdf");
  }

  @Test
  void privateAndLoopbackAddressesAreRefusedWithoutConnecting() {
    PageFetcher guarded = fetcher(4096, Duration.ofSeconds(5));

    StageFailure intranet = failureOf(guarded, "http://intranet.example.test/");
    StageFailure loopback = failureOf(guarded, url("/page"));

    assertThat(intranet.code()).isEqualTo("FETCH_FORBIDDEN_ADDRESS");
    assertThat(intranet.retryable()).isFalse();
    assertThat(intranet.getMessage()).doesNotContain("10.1.2.3");
    assertThat(loopback.code()).isEqualTo("FETCH_FORBIDDEN_ADDRESS");
    assertThat(failureOf(guarded, "ftp://example.test/page").code())
        .isEqualTo("FETCH_FORBIDDEN_ADDRESS");
    assertThat(connections).hasValue(0);
  }
}
