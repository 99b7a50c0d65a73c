package dev.kiln.deploy.prod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.deploy.App;
import dev.kiln.deploy.Manifest;
import dev.kiln.deploy.Overlay;
import dev.kiln.deploy.Workload;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The prod overlay's configuration names the Services the operators create for the example
 * resources (k8s/overlays/prod/examples), so following the documented steps connects everything.
 */
class BackingServicesTest {

  private static Map<String, String> gatewayEnv() {
    Workload gateway = Workload.kiln(Overlay.PROD, App.GATEWAY.component()).getFirst();
    return gateway.env(gateway.container(App.GATEWAY.container()));
  }

  private static Manifest only(String kind) {
    assertThat(Overlay.PROD_EXAMPLES.ofKind(kind)).as("examples hold one %s", kind).hasSize(1);
    return Overlay.PROD_EXAMPLES.ofKind(kind).getFirst();
  }

  @Test
  void theDatabaseUrlIsTheClustersPrimaryAndDatabase() {
    Manifest cluster = only("Cluster");
    URI url =
        URI.create(
            App.GATEWAY
                .effective("quarkus.datasource.jdbc.url", gatewayEnv())
                .substring("jdbc:".length()));
    assertThat(url.getHost())
        .as("CloudNativePG's read-write Service")
        .isEqualTo(cluster.name() + "-rw");
    assertThat(url.getPort()).isEqualTo(5432);
    assertThat(url.getPath())
        .isEqualTo("/" + cluster.spec().path("bootstrap").path("initdb").path("database").asText());
    assertThat(cluster.spec().path("instances").asInt())
        .as("a primary and replicas to fail over to")
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void theBrokerIsTheRabbitmqCluster() {
    Manifest broker = only("RabbitmqCluster");
    assertThat(App.GATEWAY.effective("kiln.broker.host", gatewayEnv())).isEqualTo(broker.name());
    // why 3: quorum queues need a majority of nodes to keep serving through one node's loss
    assertThat(broker.spec().path("replicas").asInt()).isGreaterThanOrEqualTo(3);
    assertThat(Overlay.PROD_EXAMPLES.ofKind("PodDisruptionBudget"))
        .as("the broker nodes are evicted one at a time")
        .anyMatch(
            p ->
                broker
                    .name()
                    .equals(
                        p.spec()
                            .path("selector")
                            .path("matchLabels")
                            .path("app.kubernetes.io/name")
                            .asText()));
  }

  @Test
  void theObjectStoreIsTheTenantsS3ServiceAndBucket() {
    Manifest tenant = only("Tenant");
    Map<String, String> env = gatewayEnv();
    URI endpoint = URI.create(App.GATEWAY.effective("quarkus.minio.host", env));
    boolean tls = tenant.spec().path("requestAutoCert").asBoolean(true);
    assertThat(endpoint.getHost()).as("the MinIO Operator's S3 Service").isEqualTo("minio");
    assertThat(endpoint.getScheme()).isEqualTo(tls ? "https" : "http");
    assertThat(endpoint.getPort()).isEqualTo(tls ? 443 : 80);
    assertThat(tenant.spec().path("buckets").findValuesAsText("name"))
        .contains(App.GATEWAY.effective("kiln.storage.bucket", env));
    JsonNode pool = tenant.spec().path("pools").get(0);
    assertThat(pool.path("servers").asInt())
        .as("erasure coding across servers")
        .isGreaterThanOrEqualTo(4);
  }
}
