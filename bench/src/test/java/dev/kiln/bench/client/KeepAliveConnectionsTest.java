package dev.kiln.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load generator's HTTP/1.1 client against a scripted server on loopback. */
class KeepAliveConnectionsTest {

  private ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  /** Serves connections; the n-th request overall (from 0) is answered with {@code answers(n)}. */
  private String serve(IntFunction<String> answers) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    AtomicInteger served = new AtomicInteger();
    Thread.ofVirtual()
        .start(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket socket = server.accept();
                  accepted.incrementAndGet();
                  Thread.ofVirtual().start(() -> exchange(socket, served, answers));
                } catch (IOException e) {
                  return;
                }
              }
            });
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private void exchange(Socket socket, AtomicInteger served, IntFunction<String> answers) {
    try (socket) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      while (true) {
        String line = in.readLine();
        if (line == null) {
          return;
        }
        StringBuilder request = new StringBuilder(line).append('\n');
        int length = 0;
        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
          request.append(h).append('\n');
          if (h.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(h.substring(15).trim());
          }
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
          read += in.read(body, read, length - read);
        }
        requests.add(request.append('\n').append(body).toString());
        String answer = answers.apply(served.getAndIncrement());
        if (answer == null) {
          continue; // never answer: the client must time out
        }
        out.write(answer.getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (answer.contains("Connection: close")) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private static String fixed(int status, String body) {
    return "HTTP/1.1 "
        + status
        + " X\r\nContent-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  @Test
  void sequentialRequestsShareOneConnectionAndSendTheirHeadersAndBody() throws Exception {
    String base = serve(n -> fixed(202, "{\"id\":\"" + n + "\"}"));
    try (KeepAliveConnections http = new KeepAliveConnections(base)) {
      for (int i = 0; i < 3; i++) {
        KeepAliveConnections.Answer answer =
            http.send("POST", "/api/v1/jobs", "k1", "{\"n\":" + i + "}", Duration.ofSeconds(5));
        assertThat(answer)
            .isEqualTo(new KeepAliveConnections.Answer(202, "{\"id\":\"" + i + "\"}"));
      }
    }
    assertThat(accepted).hasValue(1);
    assertThat(requests.get(2))
        .startsWith("POST /api/v1/jobs HTTP/1.1\n")
        .contains("Authorization: Bearer k1\n", "Content-Type: application/json\n")
        .contains("Content-Length: 7\n")
        .endsWith("\n{\"n\":2}");
  }

  @Test
  void chunkedBodiesAreJoinedAndTheConnectionKept() throws Exception {
    String base =
        serve(
            n ->
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\ncaf\u00e9\r\n3;ext=1\r\n au\r\n0\r\n\r\n");
    try (KeepAliveConnections http = new KeepAliveConnections(base)) {
      assertThat(http.send("GET", "/x", "k", null, Duration.ofSeconds(5)).body())
          .isEqualTo("café au");
      assertThat(http.send("GET", "/x", "k", null, Duration.ofSeconds(5)).status()).isEqualTo(200);
    }
    assertThat(accepted).hasValue(1);
    assertThat(requests.get(0)).contains("Content-Length: 0\n").doesNotContain("Content-Type");
  }

  @Test
  void connectionTheServerClosesIsNotReused() throws Exception {
    String base = serve(n -> "HTTP/1.1 429 X\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
    try (KeepAliveConnections http = new KeepAliveConnections(base)) {
      assertThat(http.send("POST", "/a", "k", "{}", Duration.ofSeconds(5)).status()).isEqualTo(429);
      assertThat(http.send("POST", "/a", "k", "{}", Duration.ofSeconds(5)).status()).isEqualTo(429);
    }
    assertThat(accepted).hasValue(2);
  }

  @Test
  void concurrentRequestsOpenAConnectionEachAndReuseThem() throws Exception {
    String base = serve(n -> fixed(202, "{}"));
    try (KeepAliveConnections http = new KeepAliveConnections(base)) {
      for (int round = 0; round < 3; round++) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          threads.add(
              Thread.ofVirtual()
                  .start(
                      () -> {
                        try {
                          http.send("POST", "/a", "k", "{}", Duration.ofSeconds(5));
                        } catch (IOException e) {
                          throw new RuntimeException(e);
                        }
                      }));
        }
        for (Thread t : threads) {
          t.join();
        }
      }
    }
    assertThat(requests).hasSize(12);
    assertThat(accepted.get()).isBetween(1, 4);
  }

  @Test
  void unansweredRequestTimesOutAndItsConnectionIsDropped() throws Exception {
    String base = serve(n -> n == 0 ? null : fixed(202, "{}"));
    try (KeepAliveConnections http = new KeepAliveConnections(base)) {
      assertThatThrownBy(() -> http.send("POST", "/a", "k", "{}", Duration.ofMillis(200)))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(http.send("POST", "/a", "k", "{}", Duration.ofSeconds(5)).status()).isEqualTo(202);
    }
    assertThat(accepted).hasValue(2);
  }

  @Test
  void httpsGatewaysAreRefusedUpFront() {
    assertThatThrownBy(() -> new KeepAliveConnections("https://127.0.0.1:8443"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
