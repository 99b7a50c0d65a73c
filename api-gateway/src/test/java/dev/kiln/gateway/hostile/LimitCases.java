package dev.kiln.gateway.hostile;

import static dev.kiln.gateway.hostile.Calls.postParams;
import static dev.kiln.gateway.hostile.Calls.postSynthetic;
import static dev.kiln.gateway.hostile.Calls.uploadBatch;
import static dev.kiln.gateway.hostile.Calls.uploadJob;
import static dev.kiln.gateway.hostile.HostileCase.field;
import static dev.kiln.gateway.hostile.HostileCase.raw;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Oversized requests (413) and paths or object keys that try to leave their prefix. The caps are
 * the test profile's: 4 MB per request, 1 MB per file, 20 files, 1 MB of JSON.
 */
public class LimitCases implements HostileCaseSource {

  private static final String INVALID = "VALIDATION_FAILED";

  @Override
  public List<HostileCase> cases(HostileFixtures fixtures) {
    List<HostileCase> c = new ArrayList<>();
    sizes(c);
    traversal(c, fixtures);
    return c;
  }

  private static void sizes(List<HostileCase> c) {
    String cat = "size";
    // why: announced, not sent: the gateway answers from the headers, before reading a byte,
    // and a client still sending when the connection closes would see a reset instead
    String[][] announced = {
      {"JSON body of 1 MiB + 1 announced", "/api/v1/jobs", "application/json", "1048577"},
      {"batch JSON body of 1 MiB + 1 announced", "/api/v1/batches", "application/json", "1048577"},
      {
        "multipart body of 4 MiB + 1 announced",
        "/api/v1/jobs",
        "multipart/form-data; boundary=x",
        "4194305"
      },
      {"JSON Content-Length of 2 GB announced", "/api/v1/jobs", "application/json", "2147483648"},
      {
        "multipart Content-Length of 1 TB announced",
        "/api/v1/batches",
        "multipart/form-data; boundary=x",
        "1099511627776"
      },
    };
    for (String[] a : announced) {
      c.add(
          raw(
              cat,
              a[0],
              "POST "
                  + a[1]
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                  + a[2]
                  + "\r\nContent-Length: "
                  + a[3]
                  + "\r\n",
              new byte[0],
              413,
              "PAYLOAD_TOO_LARGE"));
    }
    c.add(
        field(
            cat,
            "one file of 1.5 MB",
            uploadJob(TestFiles.of("a.txt", "text/plain", "a".repeat(1_500_000))),
            413,
            "FILE_TOO_LARGE",
            "files[0]",
            "FILE_TOO_LARGE"));
    c.add(
        field(
            cat,
            "second file of 1.5 MB in a batch",
            uploadBatch(
                TestFiles.text("a.txt"),
                TestFiles.of("b.txt", "text/plain", "b".repeat(1_500_000))),
            413,
            "FILE_TOO_LARGE",
            "files[1]",
            "FILE_TOO_LARGE"));
    Calls.Upload[] many = new Calls.Upload[21];
    for (int i = 0; i < many.length; i++) {
      many[i] = TestFiles.text("f" + i + ".txt");
    }
    c.add(
        field(
            cat,
            "21 files for one job",
            uploadJob(many),
            413,
            "TOO_MANY_FILES",
            "files",
            "TOO_MANY_FILES"));
    c.add(
        field(
            cat,
            "21 files for a batch",
            uploadBatch(many),
            413,
            "TOO_MANY_FILES",
            "files",
            "TOO_MANY_FILES"));
    String body = "{\"type\":\"synthetic\"}";
    c.add(
        raw(
            cat,
            "chunked JSON without Content-Length",
            "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n",
            (Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8),
            411,
            "LENGTH_REQUIRED"));
    c.add(
        field(
            cat,
            "param string at the JSON cap but over the param cap",
            postParams("{\"failCode\":\"" + "y".repeat(60_000) + "\"}"),
            400,
            INVALID,
            "params.failCode",
            "TOO_LONG"));
    c.add(
        field(
            cat,
            "URL of 2,049 characters",
            postSynthetic(
                "\"inputs\":[{\"url\":\"https://example.org/" + "a".repeat(2049 - 20) + "\"}]"),
            400,
            INVALID,
            "inputs[0].url",
            "INVALID_URL"));
  }

  private static void traversal(List<HostileCase> c, HostileFixtures f) {
    String cat = "traversal";
    String artifacts = "/api/v1/jobs/" + f.jobId() + "/artifacts/";
    String[] badPaths = {
      artifacts + "../../../etc/passwd",
      artifacts + "..",
      artifacts + "%2e%2e",
      artifacts + "%2E%2E/%2e%2e/batches",
      artifacts + ".%2e/x",
      artifacts + "..%2F..%2Fjobs",
      artifacts + "%2Fetc%2Fpasswd",
      artifacts + "..%5C..%5Cwin.ini",
      artifacts + "synthetic.bin%00.png",
      "/api/v1/jobs/" + f.jobId() + "/%2e%2e/%2e%2e/q/health",
      "/api/v1/jobs/..%2F" + f.jobId(),
    };
    for (String path : badPaths) {
      c.add(
          raw(
              cat,
              "GET " + path.replace(f.jobId().toString(), "{job}"),
              "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n",
              new byte[0],
              400,
              "INVALID_PATH"));
    }
    String[] notFound = {
      "passwd", ".env", "-rf", "a".repeat(300), "synthetic.bin.", "%E2%80%AEnib.exe", "%F0%9F%98%80"
    };
    for (String name : notFound) {
      c.add(
          raw(
              cat,
              "GET artifact " + FieldCases.abbreviate(name),
              "GET " + artifacts + name + " HTTP/1.1\r\nHost: 127.0.0.1\r\n",
              new byte[0],
              404,
              "ARTIFACT_NOT_FOUND"));
    }
    UUID other = UUID.randomUUID();
    String[] keys = {
      "inputs/../artifacts/x",
      "artifacts/" + other + "/../../secret",
      "/etc/passwd",
      "artifacts/" + other + "/a\\\\..\\\\b",
      "artifacts/" + other + "/%2e%2e",
      "artifacts/" + other + "/x\\u0000",
      "kiln-test-h/inputs/" + other + "/a",
      "s3://kiln/artifacts/" + other + "/a",
      "artifacts/" + other + "/",
      "artifacts/" + other + "/" + "a".repeat(300),
      "ARTIFACTS/" + other + "/a",
      "artifacts/" + other + "/a/b",
      "outbox/" + other + "/a",
      "artifacts/not-a-uuid/a",
    };
    for (String key : keys) {
      c.add(
          field(
              cat,
              "input object " + FieldCases.abbreviate(key.replace(other.toString(), "{id}")),
              postSynthetic("\"inputs\":[{\"object\":\"" + key + "\"}]"),
              400,
              INVALID,
              "inputs[0].object",
              "INVALID_OBJECT_KEY"));
    }
    c.add(
        field(
            cat,
            "input object that does not exist",
            postSynthetic("\"inputs\":[{\"object\":\"artifacts/" + other + "/model.glb\"}]"),
            400,
            INVALID,
            "inputs[0].object",
            "INPUT_NOT_FOUND"));
    for (String name : new String[] {"../x", "..", "a/b", "a\\\\b", "/abs", ".hidden", "a..b"}) {
      c.add(
          field(
              cat,
              "input name " + name,
              postSynthetic(
                  "\"inputs\":[{\"url\":\"https://example.org/a\",\"name\":\"" + name + "\"}]"),
              400,
              INVALID,
              "inputs[0].name",
              "INVALID_NAME"));
    }
  }
}
