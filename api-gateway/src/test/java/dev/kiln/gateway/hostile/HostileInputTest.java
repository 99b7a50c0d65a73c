package dev.kiln.gateway.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Sends every hostile case of every {@link HostileCaseSource} to the running gateway. Each must be
 * answered with its exact 4xx status and problem+json code (and field), never a 500 or a stack
 * trace; afterwards nothing may have been stored (no job, batch, event or idempotency key row, no
 * object under {@code inputs/}) and the gateway must still be ready and accept a good job.
 */
@QuarkusTest
@TestProfile(HostileInputTest.NoLoopbackAllowed.class)
class HostileInputTest {

  /**
   * why: the other gateway tests allow 127.0.0.1 as a URL target (their receivers run there); here
   * every loopback spelling must be refused, as in production.
   */
  public static class NoLoopbackAllowed implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("kiln.outbound.input-allow-cidrs", "", "kiln.outbound.webhook-allow-cidrs", "");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The built-in sources; more come from {@link ServiceLoader} (see {@link HostileCaseSource}). */
  private static final Set<Class<?>> BUILT_IN =
      Set.of(
          JsonCases.class,
          FieldCases.class,
          TextCases.class,
          HttpCases.class,
          UploadCases.class,
          LimitCases.class,
          StreamAndQueryCases.class,
          AuthCases.class,
          SsrfCases.class);

  @Inject DataSource dataSource;
  @Inject MinioClient minio;

  @ConfigProperty(name = "kiln.storage.bucket")
  String bucket;

  /** When the suite began; events are counted for jobs created since. */
  private java.sql.Timestamp start;

  @TestFactory
  Stream<DynamicTest> everyHostileRequestIsRefusedCleanlyAndStoresNothing() throws Exception {
    start = new java.sql.Timestamp(System.currentTimeMillis() - 1000);
    HostileFixtures fixtures = createFixtures();
    List<HostileCase> cases = new ArrayList<>();
    Set<Class<?>> loaded = new HashSet<>();
    for (HostileCaseSource source : ServiceLoader.load(HostileCaseSource.class)) {
      loaded.add(source.getClass());
      cases.addAll(source.cases(fixtures));
    }
    assertThat(loaded).containsAll(BUILT_IN);
    assertThat(cases.stream().map(HostileCase::name)).doesNotHaveDuplicates();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
    Map<String, Long> before = stored();
    Stream<DynamicTest> each =
        cases.stream().map(c -> dynamicTest("[" + c.category() + "] " + c.name(), () -> check(c)));
    DynamicTest after =
        dynamicTest(
            "nothing was stored and the gateway is healthy",
            () -> {
              assertThat(stored()).isEqualTo(before);
              HostileRequests.request().get("/q/health/ready").then().statusCode(200);
              HostileRequests.request()
                  .contentType("application/json")
                  .body("{\"type\":\"synthetic\",\"params\":{\"stages\":0}}")
                  .post(Calls.JOBS)
                  .then()
                  .statusCode(202);
              System.out.println(summary(cases));
            });
    return Stream.concat(each, Stream.of(after));
  }

  private static void check(HostileCase c) throws Exception {
    HostileRequests.Answer answer =
        switch (c.request()) {
          case HostileCase.Http http ->
              HostileRequests.Answer.of(http.call().apply(HostileRequests.request()));
          case HostileCase.Raw raw -> HostileRequests.raw(raw.head(), raw.body());
        };
    String context = c.name() + " answered " + answer.status() + " " + abbreviate(answer.body());
    assertThat(answer.status()).as(context).isEqualTo(c.status());
    assertThat(answer.contentType()).as(context).startsWith("application/problem+json");
    assertThat(answer.body()).as(context).doesNotContain("Exception").doesNotContain("\tat ");
    JsonNode problem = JSON.readTree(answer.body());
    assertThat(problem.path("status").asInt()).as(context).isEqualTo(c.status());
    assertThat(problem.path("code").asText()).as(context).isEqualTo(c.code());
    if (c.field() != null) {
      JsonNode match = null;
      for (JsonNode error : problem.path("errors")) {
        if (c.field().equals(error.path("field").asText())) {
          match = error;
        }
      }
      assertThat(match).as(context + ": no error for field " + c.field()).isNotNull();
      if (c.fieldCode() != null) {
        assertThat(match.path("code").asText()).as(context).isEqualTo(c.fieldCode());
      }
    }
  }

  private HostileFixtures createFixtures() {
    String job =
        HostileRequests.request()
            .contentType("application/json")
            .body("{\"type\":\"synthetic\",\"params\":{\"stages\":0}}")
            .post(Calls.JOBS)
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    String batch =
        HostileRequests.request()
            .contentType("application/json")
            .body("{\"jobs\":[{\"type\":\"synthetic\",\"params\":{\"stages\":0}}]}")
            .post(Calls.BATCHES)
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    String tenant = dev.kiln.gateway.auth.TestKeys.newTenant("hostile");
    String revoked = key("default", "submitter");
    String revokedId =
        HostileRequests.request()
            .get("/api/v1/admin/keys?tenant=default")
            .jsonPath()
            .getString("items.find { it.prefix == '" + revoked.substring(0, 13) + "' }.id");
    HostileRequests.request().delete("/api/v1/admin/keys/" + revokedId).then().statusCode(204);
    return new HostileFixtures(
        UUID.fromString(job),
        UUID.fromString(batch),
        key("default", "viewer"),
        key(tenant, "submitter"),
        revoked);
  }

  private static String key(String tenant, String role) {
    return HostileRequests.request()
        .contentType("application/json")
        .body("{\"tenant\":\"" + tenant + "\",\"role\":\"" + role + "\",\"name\":\"hostile\"}")
        .post("/api/v1/admin/keys")
        .then()
        .statusCode(201)
        .extract()
        .path("key");
  }

  /**
   * Row counts of what a submission writes, and the objects under {@code inputs/}. Events are
   * counted for the jobs created since the suite began (its fixtures, and any job a case would
   * wrongly create): the watchdog may still record events for earlier tests' jobs meanwhile.
   */
  private Map<String, Long> stored() throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    try (var connection = dataSource.getConnection()) {
      for (String query :
          new String[] {
            "select count(*) from jobs",
            "select count(*) from batches",
            "select count(*) from idempotency_keys",
            "select count(*) from job_artifacts",
            "select count(*) from job_events e join jobs j on j.id = e.job_id"
                + " where j.created_at >= ?",
          }) {
        try (var statement = connection.prepareStatement(query)) {
          if (query.contains("?")) {
            statement.setTimestamp(1, start);
          }
          try (var rs = statement.executeQuery()) {
            rs.next();
            counts.put(query, rs.getLong(1));
          }
        }
      }
    }
    long objects = 0;
    for (var item :
        minio.listObjects(
            ListObjectsArgs.builder().bucket(bucket).prefix("inputs/").recursive(true).build())) {
      item.get();
      objects++;
    }
    counts.put("objects under inputs/", objects);
    return counts;
  }

  private static String summary(List<HostileCase> cases) {
    Map<String, Long> byCategory = new TreeMap<>();
    cases.forEach(c -> byCategory.merge(c.category(), 1L, Long::sum));
    return "hostile input: "
        + cases.size()
        + " cases, all refused cleanly, nothing stored; "
        + byCategory;
  }

  private static String abbreviate(String body) {
    return body == null || body.length() <= 600 ? body : body.substring(0, 600) + "…";
  }
}
