package dev.kiln.gateway.hostile;

import static dev.kiln.gateway.hostile.Calls.BATCHES;
import static dev.kiln.gateway.hostile.Calls.JOBS;
import static dev.kiln.gateway.hostile.Calls.multipart;
import static dev.kiln.gateway.hostile.Calls.postBatch;
import static dev.kiln.gateway.hostile.Calls.postJob;
import static dev.kiln.gateway.hostile.Calls.postJobBytes;
import static dev.kiln.gateway.hostile.Calls.postParams;
import static dev.kiln.gateway.hostile.Calls.postSynthetic;
import static dev.kiln.gateway.hostile.HostileCase.field;
import static dev.kiln.gateway.hostile.HostileCase.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Malformed, ambiguous and oversized JSON, in every body that carries JSON. */
public class JsonCases implements HostileCaseSource {

  private static final String MALFORMED = "MALFORMED_JSON";
  private static final String INVALID = "VALIDATION_FAILED";
  private static final String LIMIT = "JSON_LIMIT_EXCEEDED";

  @Override
  public List<HostileCase> cases(HostileFixtures fixtures) {
    List<HostileCase> c = new ArrayList<>();
    String cat = "json";
    // --- not JSON, or JSON with something after it
    c.add(http(cat, "plain text body", postJob("hello"), 400, MALFORMED));
    c.add(http(cat, "truncated object", postJob("{\"type\":\"synthetic\""), 400, MALFORMED));
    c.add(http(cat, "trailing comma", postJob("{\"type\":\"synthetic\",}"), 400, MALFORMED));
    c.add(http(cat, "single quotes", postJob("{'type':'synthetic'}"), 400, MALFORMED));
    c.add(http(cat, "unquoted key", postJob("{type:\"synthetic\"}"), 400, MALFORMED));
    c.add(http(cat, "comment", postJob("/* hi */ {\"type\":\"synthetic\"}"), 400, MALFORMED));
    c.add(
        http(
            cat,
            "second document after the first",
            postJob("{\"type\":\"synthetic\"} {\"type\":\"synthetic\"}"),
            400,
            MALFORMED));
    c.add(
        http(
            cat,
            "garbage after the document",
            postJob("{\"type\":\"synthetic\"} garbage"),
            400,
            MALFORMED));
    c.add(http(cat, "stray bracket after", postJob("{\"type\":\"synthetic\"}]"), 400, MALFORMED));
    c.add(http(cat, "batch with trailing garbage", postBatch("{\"jobs\":[]}x"), 400, MALFORMED));
    c.add(http(cat, "array instead of object", postJob("[]"), 400, MALFORMED));
    c.add(http(cat, "string instead of object", postJob("\"synthetic\""), 400, MALFORMED));
    c.add(http(cat, "JSON null body", postJob("null"), 400, MALFORMED));
    c.add(http(cat, "NaN literal", postParams("{\"stages\":NaN}"), 400, MALFORMED));
    c.add(http(cat, "Infinity literal", postParams("{\"stages\":Infinity}"), 400, MALFORMED));
    c.add(http(cat, "leading zeros", postSynthetic("\"timeoutSeconds\":007"), 400, MALFORMED));
    c.add(http(cat, "hex number", postSynthetic("\"timeoutSeconds\":0x10"), 400, MALFORMED));
    c.add(
        http(
            cat,
            "raw control character in string",
            postJob("{\"type\":\"synth\u0001etic\"}"),
            400,
            MALFORMED));
    c.add(http(cat, "invalid escape", postJob("{\"type\":\"synth\\xetic\"}"), 400, MALFORMED));
    // --- invalid UTF-8 inside a string
    c.add(http(cat, "utf8 overlong slash", postJobBytes(utf8Bad(0xc0, 0xaf)), 400, MALFORMED));
    c.add(http(cat, "utf8 lone continuation", postJobBytes(utf8Bad(0x80)), 400, MALFORMED));
    c.add(http(cat, "utf8 0xFF byte", postJobBytes(utf8Bad(0xff)), 400, MALFORMED));
    c.add(http(cat, "utf8 truncated sequence", postJobBytes(utf8Bad(0xe2, 0x82)), 400, MALFORMED));
    c.add(
        http(
            cat,
            "utf8 encoded surrogate (CESU)",
            postJobBytes(utf8Bad(0xed, 0xa0, 0x80)),
            400,
            MALFORMED));
    c.add(
        http(
            cat,
            "UTF-16 body (NUL bytes)",
            postJobBytes("{\"type\":\"synthetic\"}".getBytes(StandardCharsets.UTF_16BE)),
            400,
            MALFORMED));
    c.add(
        http(
            cat,
            "utf8 code point above U+10FFFF",
            postJobBytes(utf8Bad(0xf4, 0x90, 0x80, 0x80)),
            400,
            MALFORMED));
    // --- unknown fields, at every level
    c.add(
        field(
            cat,
            "unknown top-level field",
            postSynthetic("\"priority\":9"),
            400,
            INVALID,
            "priority",
            "UNKNOWN_FIELD"));
    c.add(
        field(
            cat,
            "unknown field in retry",
            postSynthetic("\"retry\":{\"maxAttempts\":2,\"backoff\":\"x\"}"),
            400,
            INVALID,
            "retry.backoff",
            "UNKNOWN_FIELD"));
    c.add(
        field(
            cat,
            "unknown field in inputs[0]",
            postSynthetic("\"inputs\":[{\"url\":\"https://example.org/x\",\"headers\":{}}]"),
            400,
            INVALID,
            "inputs[0].headers",
            "UNKNOWN_FIELD"));
    c.add(
        field(
            cat,
            "unknown field in a batch body",
            postBatch("{\"jobs\":[{\"type\":\"synthetic\"}],\"priority\":1}"),
            400,
            INVALID,
            "priority",
            "UNKNOWN_FIELD"));
    c.add(
        field(
            cat,
            "unknown field in batch jobs[1]",
            postBatch("{\"jobs\":[{\"type\":\"synthetic\"},{\"type\":\"synthetic\",\"x\":1}]}"),
            400,
            INVALID,
            "jobs[1].x",
            "UNKNOWN_FIELD"));
    c.add(
        field(
            cat,
            "unknown field in batch jobs[0].retry",
            postBatch("{\"jobs\":[{\"type\":\"synthetic\",\"retry\":{\"jitter\":true}}]}"),
            400,
            INVALID,
            "jobs[0].retry.jitter",
            "UNKNOWN_FIELD"));
    c.add(
        field(
            cat,
            "unknown field in multipart job part",
            multipart(JOBS, "{\"type\":\"synthetic\",\"retry\":{\"bogus\":1}}"),
            400,
            INVALID,
            "retry.bogus",
            "UNKNOWN_FIELD"));
    c.add(
        field(
            cat,
            "unknown field in multipart batch template",
            multipart(BATCHES, "{\"type\":\"synthetic\",\"bogus\":1}", TestFiles.text("a.txt")),
            400,
            INVALID,
            "job.bogus",
            "UNKNOWN_FIELD"));
    // --- duplicate keys: which one would count?
    c.add(
        field(
            cat,
            "duplicate type",
            postJob("{\"type\":\"synthetic\",\"type\":\"other\"}"),
            400,
            INVALID,
            "type",
            "DUPLICATE_FIELD"));
    c.add(
        field(
            cat,
            "duplicate param",
            postParams("{\"stages\":1,\"stages\":20}"),
            400,
            INVALID,
            "params.stages",
            "DUPLICATE_FIELD"));
    c.add(
        field(
            cat,
            "duplicate retry field",
            postSynthetic("\"retry\":{\"maxAttempts\":1,\"maxAttempts\":20}"),
            400,
            INVALID,
            "retry.maxAttempts",
            "DUPLICATE_FIELD"));
    c.add(
        field(
            cat,
            "duplicate field in batch jobs[0]",
            postBatch("{\"jobs\":[{\"type\":\"synthetic\",\"type\":\"synthetic\"}]}"),
            400,
            INVALID,
            "jobs[0].type",
            "DUPLICATE_FIELD"));
    c.add(
        field(
            cat,
            "duplicate field in multipart job part",
            multipart(JOBS, "{\"type\":\"synthetic\",\"type\":\"synthetic\"}"),
            400,
            INVALID,
            "type",
            "DUPLICATE_FIELD"));
    // --- reader limits: depth, string, number and name length
    c.add(http(cat, "params nested 40 arrays deep", postParams(nest(40, "[", "]")), 400, LIMIT));
    c.add(
        http(
            cat,
            "params nested 40 objects deep",
            postParams(nest(40, "{\"a\":", "}")),
            400,
            LIMIT));
    c.add(
        http(
            cat,
            "batch jobs[0].params nested 40 deep",
            postBatch(
                "{\"jobs\":[{\"type\":\"synthetic\",\"params\":" + nest(40, "[", "]") + "}]}"),
            400,
            LIMIT));
    c.add(
        http(cat, "params nested 5000 arrays deep", postParams(nest(5000, "[", "]")), 400, LIMIT));
    c.add(
        http(
            cat,
            "multipart job part nested 100 deep",
            multipart(JOBS, "{\"type\":\"synthetic\",\"params\":" + nest(100, "[", "]") + "}"),
            400,
            LIMIT));
    c.add(
        http(
            cat,
            "string of 70,000 characters",
            postParams("{\"failCode\":\"" + "x".repeat(70_000) + "\"}"),
            400,
            LIMIT));
    c.add(
        http(
            cat,
            "field name of 70,000 characters",
            postParams("{\"" + "k".repeat(70_000) + "\":1}"),
            400,
            LIMIT));
    c.add(
        http(
            cat,
            "number of 100 digits",
            postParams("{\"stages\":1" + "0".repeat(99) + "}"),
            400,
            LIMIT));
    c.add(
        http(
            cat,
            "fraction of 500 digits",
            postParams("{\"stages\":0." + "1".repeat(500) + "}"),
            400,
            LIMIT));
    // --- missing or empty multipart job part
    c.add(
        field(
            cat,
            "multipart without job part",
            multipart(JOBS, null, TestFiles.text("a.txt")),
            400,
            INVALID,
            "job",
            "REQUIRED"));
    c.add(
        http(
            cat,
            "multipart job part not JSON",
            multipart(JOBS, "{type:synthetic}"),
            400,
            MALFORMED));
    c.add(
        http(
            cat,
            "multipart job part with trailing garbage",
            multipart(JOBS, "{\"type\":\"synthetic\"}{}"),
            400,
            MALFORMED));
    return c;
  }

  /** A job body whose type string holds {@code bytes}, which are not valid UTF-8. */
  private static byte[] utf8Bad(int... bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        "{\"type\":\"synthetic\",\"params\":{\"failCode\":\"a".getBytes(StandardCharsets.UTF_8));
    for (int b : bytes) {
      out.write(b);
    }
    out.writeBytes("b\"}}".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  static String nest(int depth, String open, String close) {
    return open.repeat(depth) + "1" + close.repeat(depth);
  }
}
