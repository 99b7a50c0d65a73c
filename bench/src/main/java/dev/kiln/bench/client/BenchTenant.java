package dev.kiln.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The tenant the suite submits as, and one submitter key of it for the time of a section.
 *
 * <p>why a tenant of its own: a key sees its whole tenant's events, and the older bench and other
 * engineers' runs use {@code bench}; jobs of one must never be counted by the other. Its limits are
 * far above any run so the bench measures the platform, not the default per-key limits, and its
 * jobs are swept after a day so repeated runs do not grow the jobs table for good.
 */
public final class BenchTenant implements AutoCloseable {

  public static final String ID = "bench-suite";

  private final KilnHttp http;
  private final String adminKey;
  private final String key;
  private final String keyId;
  private final Thread revokeOnExit;

  private BenchTenant(KilnHttp http, String adminKey, String key, String keyId) {
    this.http = http;
    this.adminKey = adminKey;
    this.key = key;
    this.keyId = keyId;
    // why: an interrupted run (Ctrl-C, a time-out) must not leave a live key behind
    this.revokeOnExit = new Thread(this::revoke, "bench-revoke-" + keyId);
    Runtime.getRuntime().addShutdownHook(revokeOnExit);
  }

  /** Makes (or updates) the tenant and a submitter key of it named after {@code purpose}. */
  public static BenchTenant open(KilnHttp http, String adminKey, String purpose) throws Exception {
    if (adminKey == null || adminKey.isBlank()) {
      throw new IllegalStateException("set KILN_API_KEY to an admin key (./kiln bench does)");
    }
    http.awaitReady(Duration.ofSeconds(120));
    http.call(
        "PUT",
        "/api/v1/admin/tenants/" + ID,
        adminKey,
        "{\"name\":\"Benchmark suite\",\"maxActiveJobs\":1000000,\"submitsPerSecond\":10000,"
            + "\"submitBurst\":100000,\"retentionDays\":1}",
        200);
    JsonNode created =
        http.call(
            "POST",
            "/api/v1/admin/keys",
            adminKey,
            "{\"tenant\":\"" + ID + "\",\"role\":\"submitter\",\"name\":\"bench " + purpose + "\"}",
            201);
    return new BenchTenant(
        http, adminKey, created.path("key").asText(), created.path("details").path("id").asText());
  }

  /** The submitter key's token. */
  public String key() {
    return key;
  }

  public KilnHttp http() {
    return http;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(revokeOnExit);
    } catch (IllegalStateException shuttingDown) {
      return; // the hook revokes
    }
    revoke();
  }

  private void revoke() {
    try {
      int status =
          http.send("DELETE", "/api/v1/admin/keys/" + keyId, adminKey, null, Duration.ofSeconds(10))
              .statusCode();
      if (status != 204 && status != 404) {
        System.err.println("could not revoke bench key " + keyId + ": HTTP " + status);
      }
    } catch (Exception e) {
      System.err.println("could not revoke bench key " + keyId + ": " + e);
    }
  }
}
