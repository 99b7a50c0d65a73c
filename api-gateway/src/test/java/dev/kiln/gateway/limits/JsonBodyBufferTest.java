package dev.kiln.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JSON bodies are read whole on the event loop before a blocking resource runs: however the client
 * sends them (in pieces, after waiting for 100 Continue), the resource sees the whole body once.
 */
@QuarkusTest
class JsonBodyBufferTest {

  private static final String BODY = "{\"type\":\"synthetic\",\"params\":{\"stages\":0}}";

  private static String head(String extra) {
    return "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer "
        + Api.ADMIN_KEY
        + "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
        + BODY.getBytes(StandardCharsets.UTF_8).length
        + "\r\nConnection: close\r\n"
        + extra
        + "\r\n";
  }

  @Test
  void clientWaitingForContinueIsToldToSendAndItsJobIsAccepted() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head("Expect: 100-continue\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      // why: the body is sent only after the interim answer, as a client that honours Expect does
      assertThat(readUntilBlankLine(in)).startsWith("HTTP/1.1 100 Continue");
      out.write(BODY.getBytes(StandardCharsets.UTF_8));
      out.flush();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 202").contains("\"status\":\"queued\"");
    }
  }

  @Test
  void bodyArrivingInPiecesIsParsedWhole() throws Exception {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      out.write(head("").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      int third = body.length / 3;
      for (int from = 0; from < body.length; from += third) {
        Thread.sleep(50);
        out.write(body, from, Math.min(third, body.length - from));
        out.flush();
      }
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 202").contains("\"type\":\"synthetic\"");
    }
  }

  @Test
  void jsonOverHttp2IsAcceptedOnEveryStreamOfAConnection() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    List<HttpClient.Version> versions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> answer =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + RestAssured.port + "/api/v1/jobs"))
                  .header("Authorization", "Bearer " + Api.ADMIN_KEY)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(BODY))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      versions.add(answer.version());
    }
    // why: the first request upgrades the connection (h2c); the later ones are HTTP/2 streams
    assertThat(versions).endsWith(HttpClient.Version.HTTP_2);
  }

  @Test
  void onlyJsonTypesAreBuffered() {
    assertThat(JsonBodyBuffer.isJson("application/json")).isTrue();
    assertThat(JsonBodyBuffer.isJson("Application/JSON; charset=utf-8")).isTrue();
    assertThat(JsonBodyBuffer.isJson("application/merge-patch+json")).isTrue();
    assertThat(JsonBodyBuffer.isJson("multipart/form-data; boundary=x")).isFalse();
    assertThat(JsonBodyBuffer.isJson("application/x-www-form-urlencoded")).isFalse();
    assertThat(JsonBodyBuffer.isJson("text/json-ish")).isFalse();
    assertThat(JsonBodyBuffer.isJson(null)).isFalse();
  }

  private static String readUntilBlankLine(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
