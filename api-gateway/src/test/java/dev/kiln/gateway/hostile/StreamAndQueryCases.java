package dev.kiln.gateway.hostile;

import static dev.kiln.gateway.hostile.HostileCase.field;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hostile values in the headers and query parameters of the event streams and listings, and
 * multipart bodies built byte by byte (a {@code job} part that is not UTF-8).
 */
public class StreamAndQueryCases implements HostileCaseSource {

  private static final String INVALID = "VALIDATION_FAILED";

  @Override
  public List<HostileCase> cases(HostileFixtures f) {
    List<HostileCase> c = new ArrayList<>();
    String cat = "streams";
    String[] lastEventIds = {"-1", "abc", "1e3", "' or 1=1 --", "99999999999999999999", "0x10"};
    String[] streams = {
      "/api/v1/jobs/" + f.jobId() + "/events", "/api/v1/batches/" + f.batchId() + "/events"
    };
    for (int i = 0; i < lastEventIds.length; i++) {
      String id = lastEventIds[i];
      String stream = streams[i % streams.length];
      c.add(
          field(
              cat,
              "Last-Event-ID " + id + " on " + (i % 2 == 0 ? "a job" : "a batch") + " stream",
              s -> s.accept("text/event-stream").header("Last-Event-ID", id).get(stream),
              400,
              INVALID,
              "Last-Event-ID",
              "INVALID_LAST_EVENT_ID"));
    }
    String[][] filters = {
      {"type", "{{7*7}}", "UNKNOWN_JOB_TYPE"},
      {"type", "synthetic\u202e", "UNKNOWN_JOB_TYPE"},
      {"status", "QUEUED", "NOT_IN_ENUM"},
      {"status", "queued' or '1'='1", "NOT_IN_ENUM"},
    };
    for (String[] q : filters) {
      c.add(
          field(
              cat,
              "all-events filter " + q[0] + "=" + q[1],
              s -> s.accept("text/event-stream").queryParam(q[0], q[1]).get("/api/v1/events"),
              400,
              INVALID,
              q[0],
              q[2]));
    }
    String[][] listings = {
      {"/api/v1/dead-letters", "limit", "0", "OUT_OF_RANGE"},
      {"/api/v1/dead-letters", "limit", "99999999999999999999", "OUT_OF_RANGE"},
      {"/api/v1/dead-letters", "cursor", "../../etc/passwd", "INVALID_CURSOR"},
      {"/api/v1/jobs", "limit", "101", "OUT_OF_RANGE"},
      {"/api/v1/jobs", "limit", "-2147483649", "OUT_OF_RANGE"},
      {"/api/v1/jobs", "cursor", "MTpub3QtYS11dWlk", "INVALID_CURSOR"},
    };
    for (String[] q : listings) {
      c.add(
          field(
              cat,
              "GET " + q[0] + "?" + q[1] + "=" + q[2],
              s -> s.queryParam(q[1], q[2]).get(q[0]),
              400,
              INVALID,
              q[1],
              q[3]));
    }
    String multipart = "json";
    c.add(
        HostileCase.raw(
            multipart,
            "job part that is not UTF-8",
            multipartHead(Calls.JOBS, jobPart(bytes(0xc0, 0xaf), false).length),
            jobPart(bytes(0xc0, 0xaf), false),
            400,
            "MALFORMED_JSON"));
    c.add(
        HostileCase.raw(
            multipart,
            "batch job part that is not UTF-8",
            multipartHead(Calls.BATCHES, jobPart(bytes(0xff), true).length),
            jobPart(bytes(0xff), true),
            400,
            "MALFORMED_JSON"));
    return c;
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  /** A multipart body with a {@code job} part holding {@code bad} in a string, and a file. */
  private static byte[] jobPart(byte[] bad, boolean withFile) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("--b\r\nContent-Disposition: form-data; name=\"job\"\r\n"
                + "Content-Type: application/json; charset=UTF-8\r\n\r\n"
                + "{\"type\":\"synthetic\",\"params\":{\"failCode\":\"x")
            .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(bad);
    out.writeBytes("\"}}\r\n".getBytes(StandardCharsets.UTF_8));
    if (withFile) {
      out.writeBytes(
          ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                  + "Content-Type: text/plain\r\n\r\nhello\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes("--b--\r\n".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static String multipartHead(String path, int length) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: "
        + length
        + "\r\n";
  }
}
