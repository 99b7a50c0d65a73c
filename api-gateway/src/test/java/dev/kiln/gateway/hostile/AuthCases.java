package dev.kiln.gateway.hostile;

import static dev.kiln.gateway.hostile.HostileCase.field;
import static dev.kiln.gateway.hostile.HostileCase.http;

import dev.kiln.gateway.Api;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Missing, bad, revoked and expired credentials, too low a role, and other tenants' ids: each must
 * get its exact 401, 403 or 404 and store nothing.
 */
public class AuthCases implements HostileCaseSource {

  /** The %test KILN_SECRET_KEY, to sign a stream token that is well formed but expired. */
  private static final String TEST_SECRET = "test-secret-key-0123456789abcdefghijklmnop";

  private static final String JOB = "{\"type\":\"synthetic\",\"params\":{\"stages\":0}}";

  @Override
  public List<HostileCase> cases(HostileFixtures f) {
    List<HostileCase> c = new ArrayList<>();
    String job = "/api/v1/jobs/" + f.jobId();
    String batch = "/api/v1/batches/" + f.batchId();

    String[][] anonymous = {
      {"GET", "/api/v1/jobs"},
      {"POST", "/api/v1/jobs"},
      {"GET", job},
      {"POST", job + "/cancel"},
      {"GET", "/api/v1/events"},
      {"GET", batch},
      {"POST", "/api/v1/admin/keys"},
      {"GET", "/api/v1/admin/audit"},
    };
    for (String[] call : anonymous) {
      c.add(
          http(
              "auth",
              "no key on " + call[0] + " " + call[1].replace(f.jobId().toString(), "{job}"),
              s ->
                  HostileRequests.anonymous()
                      .contentType("application/json")
                      .body(JOB)
                      .request(call[0], call[1]),
              401,
              "UNAUTHENTICATED"));
    }
    String[][] badKeys = {
      {"unknown key", "Bearer kiln_" + "A".repeat(43)},
      {"key too short", "Bearer kiln_short"},
      {"key too long", "Bearer kiln_" + "B".repeat(400)},
      {"admin key with a character added", "Bearer " + Api.ADMIN_KEY + "x"},
      {"admin key truncated", "Bearer " + Api.ADMIN_KEY.substring(0, 40)},
      {
        "Basic scheme",
        "Basic " + Base64.getEncoder().encodeToString(("admin:" + Api.ADMIN_KEY).getBytes())
      },
      {"scheme only", "Bearer"},
      {"empty header", ""},
      {"SQL in the key", "Bearer ' or 1=1 -- " + "x".repeat(30)},
      {"JNDI lookup in the key", "Bearer ${jndi:ldap://127.0.0.1/a}" + "x".repeat(20)},
      {"key with spaces", "Bearer kiln_" + "C".repeat(20) + " " + "D".repeat(22)},
      {"revoked key", "Bearer " + f.revokedKey()},
      {"stream token as a key", "Bearer kst_" + "E".repeat(40) + ".abc"},
    };
    for (String[] bad : badKeys) {
      c.add(
          http(
              "auth",
              bad[0] + " lists jobs",
              s -> s.header("Authorization", bad[1]).get("/api/v1/jobs"),
              401,
              "INVALID_TOKEN"));
    }
    c.add(
        http(
            "auth",
            "revoked key submits",
            s ->
                s.header("Authorization", "Bearer " + f.revokedKey())
                    .contentType("application/json")
                    .body(JOB)
                    .post("/api/v1/jobs"),
            401,
            "INVALID_TOKEN"));

    String expired = streamToken(f.jobId(), Instant.now().minusSeconds(60));
    String valid = streamToken(f.jobId(), Instant.now().plusSeconds(600));
    String tampered = valid.substring(0, valid.length() - 3) + "AAA";
    String forgedPayload =
        "kst_"
            + b64(
                ("1:"
                        + f.jobId()
                        + ":"
                        + UUID.randomUUID()
                        + ":"
                        + (Instant.now().getEpochSecond() + 600))
                    .getBytes(StandardCharsets.US_ASCII))
            + "."
            + valid.substring(valid.indexOf('.') + 1);
    String[][] streamTokens = {
      {"expired stream token", expired},
      {"tampered stream token", tampered},
      {"stream token with another payload", forgedPayload},
      {"stream token without signature", valid.substring(0, valid.indexOf('.'))},
      {"stream token that is an API key", Api.ADMIN_KEY},
    };
    for (String[] token : streamTokens) {
      c.add(
          http(
              "auth",
              token[0] + " on the job's events",
              s ->
                  HostileRequests.anonymous()
                      .accept("text/event-stream")
                      .queryParam("access_token", token[1])
                      .get(job + "/events"),
              401,
              "INVALID_TOKEN"));
    }
    c.add(
        http(
            "auth",
            "valid stream token on the job itself (not its events)",
            s -> HostileRequests.anonymous().queryParam("access_token", valid).get(job),
            401,
            "UNAUTHENTICATED"));
    c.add(
        http(
            "auth",
            "valid stream token on the batch's events",
            s ->
                HostileRequests.anonymous()
                    .accept("text/event-stream")
                    .queryParam("access_token", valid)
                    .get(batch + "/events"),
            401,
            "UNAUTHENTICATED"));

    String viewer = "Bearer " + f.viewerKey();
    String[][] aboveViewer = {
      {"POST", "/api/v1/jobs"},
      {"POST", "/api/v1/batches"},
      {"POST", job + "/cancel"},
      {"POST", job + "/retry"},
      {"POST", "/api/v1/admin/keys"},
      {"GET", "/api/v1/admin/keys"},
      {"GET", "/api/v1/admin/tenants"},
      {"GET", "/api/v1/admin/audit"},
      {"GET", "/api/v1/dead-letters"},
      {"GET", "/api/v1/stats"},
      {"GET", "/api/v1/tenant/webhook-secret"},
    };
    for (String[] call : aboveViewer) {
      c.add(
          http(
              "roles",
              "viewer key on " + call[0] + " " + call[1].replace(f.jobId().toString(), "{job}"),
              s ->
                  s.header("Authorization", viewer)
                      .contentType("application/json")
                      .body(call[1].endsWith("batches") ? "{\"jobs\":[" + JOB + "]}" : JOB)
                      .request(call[0], call[1]),
              403,
              "INSUFFICIENT_ROLE"));
    }

    String other = "Bearer " + f.otherTenantKey();
    String[][] othersJob = {
      {"GET", job},
      {"POST", job + "/cancel"},
      {"POST", job + "/retry"},
      {"POST", job + "/stream-token"},
      {"GET", job + "/artifacts"},
      {"GET", job + "/artifacts/synthetic.bin"},
      {"GET", job + "/webhooks"},
    };
    for (String[] call : othersJob) {
      c.add(
          http(
              "tenants",
              "another tenant's key on "
                  + call[0]
                  + " "
                  + call[1].replace(f.jobId().toString(), "{job}"),
              s -> s.header("Authorization", other).request(call[0], call[1]),
              404,
              "JOB_NOT_FOUND"));
    }
    c.add(
        http(
            "tenants",
            "another tenant's key on the job's events",
            s -> s.header("Authorization", other).accept("text/event-stream").get(job + "/events"),
            404,
            "JOB_NOT_FOUND"));
    c.add(
        http(
            "tenants",
            "another tenant's key on the batch",
            s -> s.header("Authorization", other).get(batch),
            404,
            "BATCH_NOT_FOUND"));
    c.add(
        http(
            "tenants",
            "another tenant's key on the batch's events",
            s ->
                s.header("Authorization", other).accept("text/event-stream").get(batch + "/events"),
            404,
            "BATCH_NOT_FOUND"));
    c.add(
        http(
            "tenants",
            "another tenant's key lists the fixtures' tenant",
            s -> s.header("Authorization", other).get("/api/v1/jobs?tenant=default"),
            403,
            "INSUFFICIENT_ROLE"));
    c.add(
        field(
            "tenants",
            "another tenant's key takes the fixture job's input as its own",
            s ->
                s.header("Authorization", other)
                    .contentType("application/json")
                    .body(
                        "{\"type\":\"synthetic\",\"inputs\":[{\"object\":\"inputs/"
                            + f.jobId()
                            + "/input-1\"}]}")
                    .post("/api/v1/jobs"),
            400,
            "VALIDATION_FAILED",
            "inputs[0].object",
            "INPUT_NOT_FOUND"));
    return c;
  }

  /** A token signed as the gateway signs them (see StreamTokens), with any expiry. */
  private static String streamToken(UUID jobId, Instant expiresAt) {
    byte[] payload =
        ("1:" + jobId + ":" + UUID.randomUUID() + ":" + expiresAt.getEpochSecond())
            .getBytes(StandardCharsets.US_ASCII);
    byte[] key = hmac(TEST_SECRET.getBytes(StandardCharsets.UTF_8), "stream-token".getBytes());
    return "kst_" + b64(payload) + "." + b64(hmac(key, payload));
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
