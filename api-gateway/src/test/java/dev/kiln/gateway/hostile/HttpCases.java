package dev.kiln.gateway.hostile;

import static dev.kiln.gateway.hostile.HostileCase.http;

import io.restassured.http.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The HTTP surface of every endpoint: wrong methods, wrong media types, unacceptable Accept
 * headers, and ids that are not UUIDs in every path parameter.
 */
public class HttpCases implements HostileCaseSource {

  @Override
  public List<HostileCase> cases(HostileFixtures f) {
    List<HostileCase> c = new ArrayList<>();
    methods(c, f);
    mediaTypes(c, f);
    postAccepts(c);
    uuids(c);
    return c;
  }

  /** Every endpoint with the methods it does not allow. */
  private static void methods(List<HostileCase> c, HostileFixtures f) {
    String job = "/api/v1/jobs/" + f.jobId();
    String batch = "/api/v1/batches/" + f.batchId();
    Object[][] endpoints = {
      {"/api/v1/jobs", new Method[] {Method.PUT, Method.DELETE, Method.PATCH}},
      {job, new Method[] {Method.POST, Method.PUT, Method.DELETE, Method.PATCH}},
      {job + "/cancel", new Method[] {Method.GET, Method.PUT, Method.DELETE}},
      {job + "/retry", new Method[] {Method.GET, Method.DELETE}},
      {job + "/artifacts", new Method[] {Method.POST, Method.PUT, Method.DELETE}},
      {job + "/artifacts/synthetic.bin", new Method[] {Method.POST, Method.PUT, Method.DELETE}},
      {job + "/events", new Method[] {Method.POST, Method.DELETE}},
      {"/api/v1/batches", new Method[] {Method.GET, Method.PUT, Method.DELETE}},
      {batch, new Method[] {Method.POST, Method.PUT, Method.DELETE}},
      {batch + "/events", new Method[] {Method.POST, Method.DELETE}},
      {"/api/v1/events", new Method[] {Method.POST, Method.DELETE}},
      {"/api/v1/job-types", new Method[] {Method.POST, Method.PUT, Method.DELETE}},
      {"/api/v1/stats", new Method[] {Method.POST, Method.DELETE}},
      {"/api/v1/dead-letters", new Method[] {Method.POST, Method.DELETE}},
      {
        "/api/v1/dead-letters/" + UUID.randomUUID() + "/requeue",
        new Method[] {Method.GET, Method.DELETE}
      },
    };
    for (Object[] e : endpoints) {
      String path = (String) e[0];
      for (Method m : (Method[]) e[1]) {
        c.add(
            http(
                "methods",
                m
                    + " "
                    + path.replace(f.jobId().toString(), "{job}")
                        .replace(f.batchId().toString(), "{batch}"),
                s -> s.contentType("application/json").body("{}").request(m, path),
                405,
                "METHOD_NOT_ALLOWED"));
      }
    }
  }

  private static void mediaTypes(List<HostileCase> c, HostileFixtures f) {
    String cat = "media";
    String body = "{\"type\":\"synthetic\"}";
    for (String type :
        new String[] {
          "text/plain",
          "application/xml",
          "application/x-www-form-urlencoded",
          "application/json-patch+json",
          "text/json",
          "image/png"
        }) {
      c.add(
          http(
              cat,
              "POST jobs as " + type,
              s ->
                  // why bytes for images: RestAssured encodes a String body only for text types
                  type.startsWith("image/")
                      ? s.contentType(type)
                          .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                          .post(Calls.JOBS)
                      : s.contentType(type).body(body).post(Calls.JOBS),
              415,
              "UNSUPPORTED_MEDIA_TYPE"));
    }
    for (String type : new String[] {"text/plain", "application/xml"}) {
      c.add(
          http(
              cat,
              "POST batches as " + type,
              s -> s.contentType(type).body("{\"jobs\":[" + body + "]}").post(Calls.BATCHES),
              415,
              "UNSUPPORTED_MEDIA_TYPE"));
    }
    String job = "/api/v1/jobs/" + f.jobId();
    String[][] accepts = {
      {job, "application/xml"},
      {job, "text/html"},
      {"/api/v1/job-types", "image/png"},
      {"/api/v1/jobs", "text/csv"},
      {job + "/events", "application/xml"},
      {"/api/v1/events", "image/*"},
    };
    for (String[] a : accepts) {
      c.add(
          http(
              cat,
              "GET " + a[0].replace(f.jobId().toString(), "{job}") + " accepting only " + a[1],
              s -> s.accept(a[1]).get(a[0]),
              406,
              "NOT_ACCEPTABLE"));
    }
  }

  private static void postAccepts(List<HostileCase> c) {
    String body = "{\"type\":\"synthetic\"}";
    for (String accept : new String[] {"text/html", "application/xml", "image/*"}) {
      c.add(
          http(
              "media",
              "POST jobs accepting only " + accept,
              s -> s.accept(accept).contentType("application/json").body(body).post(Calls.JOBS),
              406,
              "NOT_ACCEPTABLE"));
    }
    c.add(
        http(
            "media",
            "POST batches accepting only text/csv",
            s ->
                s.accept("text/csv")
                    .contentType("application/json")
                    .body("{\"jobs\":[" + body + "]}")
                    .post(Calls.BATCHES),
            406,
            "NOT_ACCEPTABLE"));
  }

  /** Each path parameter with ids that are not UUIDs (sent encoded, so they reach the resource). */
  private static void uuids(List<HostileCase> c) {
    String[] paths = {
      "/api/v1/jobs/{id}",
      "/api/v1/jobs/{id}/artifacts",
      "/api/v1/jobs/{id}/artifacts/synthetic.bin",
      "/api/v1/jobs/{id}/events",
      "/api/v1/batches/{id}",
      "/api/v1/batches/{id}/events",
    };
    String[] posts = {
      "/api/v1/jobs/{id}/cancel", "/api/v1/jobs/{id}/retry", "/api/v1/dead-letters/{id}/requeue"
    };
    String[] ids = {
      "not-a-uuid",
      "00000000-0000-0000-0000-00000000000g",
      "' or 1=1 --",
      "{{7*7}}",
      "123",
      "0b0e8f5e4c1a4f6e9a517d1c2f3a4b5c0000",
      "-1-1-1-1",
    };
    int i = 0;
    for (String path : paths) {
      // every path with two ids, all ids across the paths
      for (String id : new String[] {ids[i++ % ids.length], ids[i++ % ids.length]}) {
        c.add(
            http(
                "uuid",
                "GET " + path.replace("{id}", id),
                s -> s.urlEncodingEnabled(false).get(path.replace("{id}", encode(id))),
                400,
                "INVALID_UUID"));
      }
    }
    for (String path : posts) {
      for (String id : new String[] {ids[i++ % ids.length], ids[i++ % ids.length]}) {
        c.add(
            http(
                "uuid",
                "POST " + path.replace("{id}", id),
                s -> s.urlEncodingEnabled(false).post(path.replace("{id}", encode(id))),
                400,
                "INVALID_UUID"));
      }
    }
  }

  private static String encode(String id) {
    return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }
}
