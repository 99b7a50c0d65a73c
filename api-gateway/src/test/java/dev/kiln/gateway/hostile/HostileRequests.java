package dev.kiln.gateway.hostile;

import io.restassured.RestAssured;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one way the hostile-input suite reaches the gateway. Every request, RestAssured or raw
 * socket, starts here, so that what every API request must carry (an {@code Authorization} header
 * once API keys exist) is added in {@link #commonHeaders()} and nowhere else.
 */
public final class HostileRequests {

  private HostileRequests() {}

  /** Headers every request carries: the test admin's key, so cases reach the checks behind it. */
  public static Map<String, String> commonHeaders() {
    return Map.of("Authorization", "Bearer " + dev.kiln.gateway.Api.ADMIN_KEY);
  }

  /** A request without any key, for the cases about missing keys. */
  public static RequestSpecification anonymous() {
    return RestAssured.given().config(config());
  }

  private static RestAssuredConfig config() {
    return RestAssuredConfig.config()
        .redirect(RedirectConfig.redirectConfig().followRedirects(false))
        // why: a case that sends its own Authorization replaces the admin's instead of adding a
        // second header
        .headerConfig(
            io.restassured.config.HeaderConfig.headerConfig()
                .overwriteHeadersWithName("Authorization"));
  }

  /** A RestAssured request to the gateway under test; redirects are not followed. */
  public static RequestSpecification request() {
    return RestAssured.given().config(config()).headers(commonHeaders());
  }

  /** What came back, whichever way the request was sent. */
  public record Answer(int status, String contentType, String body) {
    static Answer of(Response response) {
      return new Answer(response.statusCode(), response.contentType(), response.body().asString());
    }
  }

  /**
   * Sends bytes no HTTP client library would send (invalid UTF-8, controls in headers) over a plain
   * socket to the gateway on loopback, with {@link #commonHeaders()} added after the given head.
   *
   * @param head request line and headers, each line ending in CRLF, without the blank line
   * @param body sent as is after the blank line
   */
  public static Answer raw(String head, byte[] body) throws IOException {
    StringBuilder all = new StringBuilder(head);
    commonHeaders().forEach((k, v) -> all.append(k).append(": ").append(v).append("\r\n"));
    all.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(all.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return parse(readResponse(socket.getInputStream()));
    }
  }

  /**
   * Reads one response: up to the end of its body when its length or chunking says where that is,
   * else until the server closes (which it need not do after an early answer).
   */
  private static byte[] readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
      if (isComplete(out.toByteArray())) {
        break;
      }
    }
    return out.toByteArray();
  }

  private static boolean isComplete(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = text.substring(0, end).toLowerCase(Locale.ROOT);
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("\r\ncontent-length:\\s*(\\d+)").matcher(head);
    if (length.find()) {
      return bytes.length - (end + 4) >= Long.parseLong(length.group(1));
    }
    if (head.contains("\r\ntransfer-encoding: chunked")) {
      return text.endsWith("\r\n0\r\n\r\n");
    }
    return false;
  }

  /** The status, type and body of an HTTP/1.1 response (fixed length, chunked or to close). */
  static Answer parse(byte[] bytes) throws IOException {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no complete response: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] rest = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    byte[] body =
        "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? dechunk(rest) : rest;
    return new Answer(
        status, headers.get("content-type"), new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] chunked) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = new java.io.ByteArrayInputStream(chunked);
    while (true) {
      StringBuilder size = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          return out.toByteArray();
        }
        if (c != '\r') {
          size.append((char) c);
        }
      }
      int n = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
      if (n == 0) {
        return out.toByteArray();
      }
      out.write(in.readNBytes(n));
      in.readNBytes(2);
    }
  }
}
