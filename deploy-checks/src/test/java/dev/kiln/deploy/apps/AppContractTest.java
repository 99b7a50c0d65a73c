package dev.kiln.deploy.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.deploy.App;
import dev.kiln.deploy.Compose;
import dev.kiln.deploy.Overlay;
import dev.kiln.deploy.Repo;
import dev.kiln.deploy.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway and worker containers of each overlay against what the applications really do: the
 * variables they read, the port they listen on, their health endpoints, the images the Dockerfiles
 * build and how long they take to shut down.
 */
class AppContractTest {

  /** Margin between the app's own shutdown budget and the pod's grace period. */
  private static final Duration MARGIN = Duration.ofSeconds(5);

  static Stream<Arguments> containers() {
    return Overlay.apps().stream()
        .flatMap(
            o ->
                Stream.of(App.values())
                    .flatMap(
                        app ->
                            Workload.kiln(o, app.component()).stream()
                                .map(w -> Arguments.of(app, w))));
  }

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void everyAppIsDeployed(Overlay overlay) {
    assertThat(Workload.kiln(overlay, App.GATEWAY.component())).hasSize(1);
    assertThat(Workload.kiln(overlay, App.WORKER.component())).isNotEmpty();
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("containers")
  void everyVariableSetIsOneTheAppReads(App app, Workload w) {
    Set<String> unread = new TreeSet<>(w.env(w.container(app.container())).keySet());
    unread.removeAll(app.envNamesRead());
    assertThat(unread)
        .as(
            "%s sets variables (env or envFrom ConfigMap keys) that the %s never reads; a typo or"
                + " the other app's setting",
            w, app)
        .isEmpty();
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("containers")
  void theContainerPortIsTheOneTheAppListensOn(App app, Workload w) {
    Container c = w.container(app.container());
    int port = app.httpPort(w.env(c));
    assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).containsExactly(port);
    assertThat(c.getPorts()).extracting(ContainerPort::getName).containsExactly("http");
    Matcher expose = Pattern.compile("(?m)^EXPOSE (\\d+)$").matcher(Repo.read(app.dockerfile()));
    assertThat(expose.find()).as("%s has an EXPOSE line", app.dockerfile()).isTrue();
    assertThat(Integer.parseInt(expose.group(1)))
        .as("EXPOSE in %s", app.dockerfile())
        .isEqualTo(port);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("containers")
  void probesUseTheQuarkusHealthEndpoints(App app, Workload w) {
    Container c = w.container(app.container());
    assertProbe(c.getStartupProbe(), app.healthPath("startup"), w + " startupProbe");
    assertProbe(c.getReadinessProbe(), app.healthPath("readiness"), w + " readinessProbe");
    assertProbe(c.getLivenessProbe(), app.healthPath("liveness"), w + " livenessProbe");
  }

  private static void assertProbe(Probe probe, String path, String what) {
    assertThat(probe).as(what).isNotNull();
    assertThat(probe.getHttpGet()).as(what + " uses httpGet").isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(what).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort()).as(what + " port").isEqualTo(new IntOrString("http"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("containers")
  void theImageIsTheOneTheDockerfileBuilds(App app, Workload w) {
    String composeImage = composeImageBuiltFrom(app.dockerfile());
    String repository = composeImage.substring(0, composeImage.lastIndexOf(':'));
    Matcher tag = Pattern.compile("-t (\\S+) \\.").matcher(Repo.read(app.dockerfile()));
    assertThat(tag.find()).as("%s documents its docker build -t", app.dockerfile()).isTrue();
    assertThat(tag.group(1)).as("the name in %s", app.dockerfile()).isEqualTo(repository);

    String image = w.container(app.container()).getImage();
    String withoutTag = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
    assertThat(withoutTag.substring(withoutTag.lastIndexOf('/') + 1))
        .as("%s runs the image %s builds (any registry prefix)", w, app.dockerfile())
        .isEqualTo(repository);
    assertThat(image).as("%s pins a tag", w).contains(":");
    if (w.overlay() == Overlay.DEV) {
      assertThat(image).as("dev runs what docker compose build makes").isEqualTo(composeImage);
    }
  }

  private static String composeImageBuiltFrom(String dockerfile) {
    var services = Compose.config().path("services");
    for (var it = services.fields(); it.hasNext(); ) {
      var service = it.next().getValue();
      if (dockerfile.equals(service.path("build").path("dockerfile").asText())) {
        return service.path("image").asText();
      }
    }
    throw new AssertionError("no docker-compose service builds " + dockerfile);
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("containers")
  void thePodOutlivesTheAppsShutdown(App app, Workload w) {
    Container c = w.container(app.container());
    Map<String, String> env = w.env(c);
    long grace = w.template().getSpec().getTerminationGracePeriodSeconds();
    Duration needed =
        switch (app) {
          // preStop sleep, then readiness DOWN for the delay, then requests in flight
          case GATEWAY ->
              preStopSleep(c)
                  .plus(App.duration(app.effective("quarkus.shutdown.delay", env)))
                  .plus(App.duration(app.effective("quarkus.shutdown.timeout", env)));
          // running jobs get the grace, then channels close and messages return to the queue
          case WORKER -> App.duration(app.effective("kiln.worker.shutdown-grace", env));
        };
    assertThat(Duration.ofSeconds(grace))
        .as(
            "%s: terminationGracePeriodSeconds must cover the app's shutdown (%s) plus %s",
            w, needed, MARGIN)
        .isGreaterThanOrEqualTo(needed.plus(MARGIN));
  }

  private static Duration preStopSleep(Container c) {
    if (c.getLifecycle() == null || c.getLifecycle().getPreStop() == null) {
      return Duration.ZERO;
    }
    var preStop = c.getLifecycle().getPreStop();
    if (preStop.getSleep() != null) {
      return Duration.ofSeconds(preStop.getSleep().getSeconds());
    }
    List<String> command = preStop.getExec() == null ? List.of() : preStop.getExec().getCommand();
    if (command.size() == 2 && command.getFirst().equals("sleep")) {
      return Duration.ofSeconds(Long.parseLong(command.get(1)));
    }
    throw new AssertionError(
        "unexpected preStop hook " + preStop + "; teach this test its duration");
  }
}
