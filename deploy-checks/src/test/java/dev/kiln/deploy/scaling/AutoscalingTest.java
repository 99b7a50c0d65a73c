package dev.kiln.deploy.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.deploy.App;
import dev.kiln.deploy.Manifest;
import dev.kiln.deploy.Overlay;
import dev.kiln.deploy.Repo;
import dev.kiln.deploy.Workload;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.jobtypes.JobTypeCatalog;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One worker Deployment and one KEDA ScaledObject per job type, scaling on that type's work queue
 * with the workers' own broker, account and concurrency. The job types are the ones the platform
 * loads (common-model's catalog), so a new type without its workers fails here.
 */
class AutoscalingTest {

  private static Set<String> jobTypes() {
    return new TreeSet<>(JobTypeCatalog.fromClasspath().names());
  }

  @Test
  void theCatalogHoldsEveryDescriptorFile() throws IOException {
    Path dir = Repo.path("common-model/src/main/resources/META-INF/kiln/job-types");
    Set<String> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".json"))
              .map(n -> n.substring(0, n.length() - ".json".length()))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(jobTypes()).isEqualTo(files).isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void everyJobTypeHasItsOwnWorkers(Overlay overlay) {
    Map<String, List<String>> byType =
        Workload.kiln(overlay, App.WORKER.component()).stream()
            .collect(
                Collectors.groupingBy(
                    AutoscalingTest::workerType,
                    Collectors.mapping(Workload::name, Collectors.toList())));
    assertThat(byType.keySet())
        .as("job types with workers in %s", overlay.dir())
        .isEqualTo(jobTypes());
    byType.forEach(
        (type, deployments) -> assertThat(deployments).as("workers of %s", type).hasSize(1));
  }

  /** The one type a worker Deployment consumes; several or none (= every type) is refused. */
  private static String workerType(Workload w) {
    String types = w.env(w.container(App.WORKER.container())).get("KILN_WORKER_TYPES");
    assertThat(types)
        .as("%s sets KILN_WORKER_TYPES (unset, it consumes every type)", w)
        .isNotBlank();
    assertThat(types).as("%s consumes exactly one type", w).doesNotContain(",");
    assertThat(w.label("kiln.dev/job-type")).as("%s is labelled with its type", w).isEqualTo(types);
    return types;
  }

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void everyScaledObjectScalesItsTypesWorkersOnItsQueue(Overlay overlay) {
    List<Manifest> scaled = overlay.ofKind("ScaledObject");
    Set<String> covered = new TreeSet<>();
    for (Manifest so : scaled) {
      JsonNode spec = so.spec();
      JsonNode target = spec.path("scaleTargetRef");
      assertThat(target.path("kind").asText("Deployment"))
          .as("%s targets a Deployment", so)
          .isEqualTo("Deployment");
      Manifest deployment = overlay.get("Deployment", target.path("name").asText());
      assertThat(deployment.as(Deployment.class).getSpec().getReplicas())
          .as("%s has no spec.replicas: KEDA owns the count, and apply would reset it", deployment)
          .isNull();
      Workload w = Workload.of(overlay, deployment).orElseThrow();
      String type = workerType(w);
      assertThat(covered.add(type)).as("one ScaledObject for %s", type).isTrue();
      Map<String, String> env = w.env(w.container(App.WORKER.container()));

      assertThat(spec.path("triggers")).as("%s has one trigger", so).hasSize(1);
      JsonNode trigger = spec.path("triggers").get(0);
      JsonNode md = trigger.path("metadata");
      assertThat(trigger.path("type").asText()).isEqualTo("rabbitmq");
      assertThat(md.path("queueName").asText())
          .as("%s queue", so)
          .isEqualTo(Topology.workQueue(type));
      // why http: only the management API counts unacknowledged (running) jobs; see
      // k8s/base/workers/template/autoscaling.yaml
      assertThat(md.path("protocol").asText()).as("%s protocol", so).isEqualTo("http");
      assertThat(md.path("mode").asText()).as("%s mode", so).isEqualTo("QueueLength");
      assertThat(md.path("value").asText())
          .as("%s: value is the jobs one pod runs at once (KILN_WORKER_CONCURRENCY)", so)
          .isEqualTo(App.WORKER.effective("kiln.worker.concurrency", env));
      assertThat(md.has("activationValue")).as("%s sets activationValue", so).isTrue();

      URI host = URI.create(md.path("host").asText());
      assertThat(host.getHost())
          .as("%s reads the broker the workers use (KILN_BROKER_HOST)", so)
          .isEqualTo(App.WORKER.effective("kiln.broker.host", env));
      assertThat(host.getUserInfo()).as("%s keeps credentials out of the URL", so).isNull();
      assertThat(md.path("vhostName").asText())
          .as("%s vhost = KILN_BROKER_VIRTUAL_HOST", so)
          .isEqualTo(App.WORKER.effective("kiln.broker.virtual-host", env));

      assertSameCredentials(overlay, so, trigger, w);

      assertThat(spec.has("minReplicaCount") && spec.has("maxReplicaCount"))
          .as("%s bounds", so)
          .isTrue();
      assertThat(spec.path("fallback").path("failureThreshold").asInt())
          .as("%s fallback", so)
          .isPositive();
      assertThat(spec.path("fallback").has("replicas")).as("%s fallback replicas", so).isTrue();
      assertThat(
              spec.path("advanced")
                  .path("horizontalPodAutoscalerConfig")
                  .path("behavior")
                  .isObject())
          .as("%s HPA behavior", so)
          .isTrue();
    }
    assertThat(covered)
        .as("job types with a ScaledObject in %s", overlay.dir())
        .isEqualTo(jobTypes());
  }

  /** KEDA must log in with exactly the account the workers use. */
  private static void assertSameCredentials(
      Overlay overlay, Manifest so, JsonNode trigger, Workload w) {
    String authName = trigger.path("authenticationRef").path("name").asText();
    Manifest auth = overlay.get("TriggerAuthentication", authName);
    Map<String, String> kedaRefs =
        Stream.of(auth.spec().path("secretTargetRef"))
            .flatMap(refs -> Stream.iterate(0, i -> i < refs.size(), i -> i + 1).map(refs::get))
            .collect(
                Collectors.toMap(
                    r -> r.path("parameter").asText(),
                    r -> r.path("name").asText() + "/" + r.path("key").asText()));
    Map<String, String> workerRefs =
        w.container(App.WORKER.container()).getEnv().stream()
            .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
            .collect(
                Collectors.toMap(EnvVar::getName, e -> ref(e.getValueFrom().getSecretKeyRef())));
    assertThat(kedaRefs.get("username"))
        .as("%s username", auth)
        .isEqualTo(workerRefs.get("KILN_BROKER_USERNAME"));
    assertThat(kedaRefs.get("password"))
        .as("%s password", auth)
        .isEqualTo(workerRefs.get("KILN_BROKER_PASSWORD"));
  }

  private static String ref(SecretKeySelector s) {
    return s.getName() + "/" + s.getKey();
  }
}
