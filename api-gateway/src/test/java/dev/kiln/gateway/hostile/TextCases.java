package dev.kiln.gateway.hostile;

import static dev.kiln.gateway.hostile.Calls.postJob;
import static dev.kiln.gateway.hostile.Calls.postParams;
import static dev.kiln.gateway.hostile.Calls.postSynthetic;
import static dev.kiln.gateway.hostile.HostileCase.field;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Unicode edge cases and injection strings in every text field, header and query parameter. The
 * gateway must refuse each with a precise field error, and never echo or store it.
 */
public class TextCases implements HostileCaseSource {

  private static final String INVALID = "VALIDATION_FAILED";

  static final String[] INJECTIONS = {
    "' or 1=1 --",
    "${jndi:ldap://127.0.0.1/x}",
    "{{7*7}}",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "a; DROP TABLE jobs"
  };

  @Override
  public List<HostileCase> cases(HostileFixtures fixtures) {
    List<HostileCase> c = new ArrayList<>();
    unicode(c);
    injection(c);
    return c;
  }

  private static void unicode(List<HostileCase> c) {
    String cat = "unicode";
    String[][] types = {
      {"RTL override", "synth\\u202eetic"},
      {"zero-width space", "synthetic\\u200b"},
      {"NUL", "synthetic\\u0000"},
      {"lone high surrogate", "\\ud800"},
      {"lone low surrogate", "synthetic\\udc00"},
      {"fullwidth letters", "\\uff53\\uff59\\uff4e\\uff54\\uff48\\uff45\\uff54\\uff49\\uff43"},
      {"Cyrillic homoglyph", "\\u0455ynthetic"},
      {"upper case", "SYNTHETIC"},
      {"combining mark", "synthe\\u0301tic"},
      {"emoji", "\\ud83d\\udd25"},
    };
    for (String[] t : types) {
      c.add(
          field(
              cat,
              "type with " + t[0],
              postJob("{\"type\":\"" + t[1] + "\"}"),
              400,
              "UNKNOWN_JOB_TYPE",
              "type",
              "UNKNOWN_JOB_TYPE"));
    }
    String[][] names = {
      {"NUL", "a\\u0000b"},
      {"RTL override", "\\u202egnp.exe"},
      {"zero-width joiner", "a\\u200db"},
      {"emoji", "\\ud83d\\ude00.png"},
      {"lone surrogate", "x\\ud800.png"},
      {"non-Latin letters", "\\u540d\\u524d.png"},
      {"129 characters", "n".repeat(129)},
      {"newline", "a\\nb"},
    };
    for (String[] n : names) {
      c.add(
          field(
              cat,
              "input name with " + n[0],
              postSynthetic(
                  "\"inputs\":[{\"url\":\"https://example.org/a\",\"name\":\"" + n[1] + "\"}]"),
              400,
              INVALID,
              "inputs[0].name",
              "INVALID_NAME"));
    }
    String[][] urls = {
      {"RTL override in path", "https://example.org/\\u202etxt.exe"},
      {"zero-width in host", "https://example\\u200b.org/a"},
      {"NUL in path", "https://example.org/a\\u0000b"},
      {"IDN host not in punycode", "http://b\\u00fccher.example/"},
    };
    for (String[] u : urls) {
      c.add(
          field(
              cat,
              "input url with " + u[0],
              postSynthetic("\"inputs\":[{\"url\":\"" + u[1] + "\"}]"),
              400,
              INVALID,
              "inputs[0].url",
              "INVALID_URL"));
    }
    c.add(
        field(
            cat,
            "notifyUrl with CRLF",
            postSynthetic("\"notifyUrl\":\"https://example.org/a\\r\\nX-Injected: 1\""),
            400,
            INVALID,
            "notifyUrl",
            "INVALID_URL"));
    c.add(
        field(
            cat,
            "Idempotency-Key with a tab",
            s ->
                s.header("Idempotency-Key", "a\tb")
                    .contentType("application/json")
                    .body("{\"type\":\"synthetic\"}")
                    .post(Calls.JOBS),
            400,
            INVALID,
            "Idempotency-Key",
            "INVALID_CHARACTERS"));
    c.add(
        HostileCase.raw(
                cat,
                "Idempotency-Key with Latin-1 bytes",
                jsonHead("Idempotency-Key: caf\u00e9\r\n", "{\"type\":\"synthetic\"}"),
                "{\"type\":\"synthetic\"}".getBytes(StandardCharsets.UTF_8),
                400,
                INVALID)
            .withField("Idempotency-Key", "INVALID_CHARACTERS"));
    c.add(
        field(
            cat,
            "list filter type with NUL",
            s -> s.queryParam("type", "synthetic\u0000").get(Calls.JOBS),
            400,
            INVALID,
            "type",
            "UNKNOWN_JOB_TYPE"));
    c.add(
        field(
            cat,
            "list filter status with RTL override",
            s -> s.queryParam("status", "\u202equeued").get(Calls.JOBS),
            400,
            INVALID,
            "status",
            "NOT_IN_ENUM"));
  }

  private static void injection(List<HostileCase> c) {
    String cat = "injection";
    for (String attack : INJECTIONS) {
      String json = jsonString(attack);
      c.add(
          field(
              cat,
              "type: " + attack,
              postJob("{\"type\":" + json + "}"),
              400,
              "UNKNOWN_JOB_TYPE",
              "type",
              "UNKNOWN_JOB_TYPE"));
      c.add(
          field(
              cat,
              "input name: " + attack,
              postSynthetic(
                  "\"inputs\":[{\"url\":\"https://example.org/a\",\"name\":" + json + "}]"),
              400,
              INVALID,
              "inputs[0].name",
              "INVALID_NAME"));
      c.add(
          field(
              cat,
              "input object: " + attack,
              postSynthetic("\"inputs\":[{\"object\":" + json + "}]"),
              400,
              INVALID,
              "inputs[0].object",
              "INVALID_OBJECT_KEY"));
      c.add(
          field(
              cat,
              "input url: " + attack,
              postSynthetic("\"inputs\":[{\"url\":" + json + "}]"),
              400,
              INVALID,
              "inputs[0].url",
              "INVALID_URL"));
      c.add(
          field(
              cat,
              "param name: " + attack,
              postParams("{" + json + ":1}"),
              400,
              INVALID,
              "params." + attack,
              "UNKNOWN_FIELD"));
      c.add(
          field(
              cat,
              "list filter status: " + attack,
              s -> s.queryParam("status", attack).get(Calls.JOBS),
              400,
              INVALID,
              "status",
              "NOT_IN_ENUM"));
    }
    c.add(
        field(
            cat,
            "notifyUrl: template",
            postSynthetic("\"notifyUrl\":\"{{7*7}}\""),
            400,
            INVALID,
            "notifyUrl",
            "INVALID_URL"));
    c.add(
        field(
            cat,
            "notifyUrl: jndi",
            postSynthetic("\"notifyUrl\":\"${jndi:ldap://127.0.0.1/x}\""),
            400,
            INVALID,
            "notifyUrl",
            "INVALID_URL"));
    c.add(
        field(
            cat,
            "input url: file scheme",
            postSynthetic("\"inputs\":[{\"url\":\"file:///etc/passwd\"}]"),
            400,
            INVALID,
            "inputs[0].url",
            "INVALID_URL"));
    c.add(
        field(
            cat,
            "input url: javascript scheme",
            postSynthetic("\"inputs\":[{\"url\":\"javascript:alert(1)\"}]"),
            400,
            INVALID,
            "inputs[0].url",
            "INVALID_URL"));
    c.add(
        field(
            cat,
            "param value: script beyond the length cap",
            postParams("{\"failCode\":\"<script>" + "x".repeat(64) + "</script>\"}"),
            400,
            INVALID,
            "params.failCode",
            "TOO_LONG"));
    c.add(
        field(
            cat,
            "list cursor: jndi",
            s -> s.queryParam("cursor", "${jndi:ldap://127.0.0.1/x}").get(Calls.JOBS),
            400,
            INVALID,
            "cursor",
            "INVALID_CURSOR"));
    c.add(
        field(
            cat,
            "list limit: sql",
            s -> s.queryParam("limit", "1 or 1=1").get(Calls.JOBS),
            400,
            INVALID,
            "limit",
            "OUT_OF_RANGE"));
    c.add(
        field(
            cat,
            "dead letter filter type: sql",
            s -> s.queryParam("type", "' or 1=1 --").get("/api/v1/dead-letters"),
            400,
            INVALID,
            "type",
            "UNKNOWN_JOB_TYPE"));
    c.add(
        field(
            cat,
            "Idempotency-Key of 256 characters",
            s ->
                s.header("Idempotency-Key", "' or 1=1 --".repeat(24))
                    .contentType("application/json")
                    .body("{\"type\":\"synthetic\"}")
                    .post(Calls.JOBS),
            400,
            INVALID,
            "Idempotency-Key",
            "OUT_OF_RANGE"));
  }

  /** Request line and headers of a JSON job submission with {@code extra} header lines. */
  static String jsonHead(String extra, String body) {
    return "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n"
        + extra;
  }

  static String jsonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
