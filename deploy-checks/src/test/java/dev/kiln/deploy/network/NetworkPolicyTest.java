package dev.kiln.deploy.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.deploy.App;
import dev.kiln.deploy.Manifest;
import dev.kiln.deploy.Overlay;
import dev.kiln.deploy.Selectors;
import dev.kiln.deploy.Workload;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kiln's pods are denied everything by default, and the allow rules open only what each app uses:
 * the ports it serves, its backing services, DNS, and public addresses for webhooks, URL inputs and
 * a cloud object store.
 */
class NetworkPolicyTest {

  private static final Set<String> PRIVATE_RANGES =
      Set.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8");

  private static List<NetworkPolicy> policies(Overlay overlay) {
    return overlay.ofKind("NetworkPolicy").stream().map(m -> m.as(NetworkPolicy.class)).toList();
  }

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void everyKilnPodIsDeniedByDefault(Overlay overlay) {
    NetworkPolicy deny = overlay.get("NetworkPolicy", "kiln-default-deny").as(NetworkPolicy.class);
    assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(deny.getSpec().getIngress()).isEmpty();
    assertThat(deny.getSpec().getEgress()).isEmpty();
    List<Workload> kiln = Workload.all(overlay).stream().filter(Workload::partOfKiln).toList();
    assertThat(kiln).isNotEmpty();
    for (Workload w : kiln) {
      assertThat(Selectors.matches(deny.getSpec().getPodSelector(), w.podLabels()))
          .as("kiln-default-deny selects %s", w)
          .isTrue();
    }
    // everything the overlay runs is Kiln's, so nothing escapes the deny
    assertThat(Workload.all(overlay)).allMatch(Workload::partOfKiln);
  }

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void theAppsReachOnlyWhatTheyUse(Overlay overlay) {
    assertEgress(
        overlay, App.GATEWAY, Set.of(53, 5432, 5672, 9000, 80, 443), Set.of(53, 5432, 5672, 9000));
    assertEgress(overlay, App.WORKER, Set.of(53, 5672, 9000, 80, 443), Set.of(53, 5672, 9000));
  }

  private static void assertEgress(
      Overlay overlay, App app, Set<Integer> allowed, Set<Integer> required) {
    for (Workload w : Workload.kiln(overlay, app.component())) {
      Set<Integer> ports = new TreeSet<>();
      for (NetworkPolicy p : selecting(overlay, w)) {
        for (NetworkPolicyEgressRule rule : p.getSpec().getEgress()) {
          assertThat(rule.getPorts())
              .as(
                  "%s: an egress rule of %s without ports opens every port",
                  w, p.getMetadata().getName())
              .isNotEmpty();
          for (NetworkPolicyPort port : rule.getPorts()) {
            int number = port.getPort().getIntVal();
            ports.add(number);
            if (number == 80 || number == 443) {
              assertPublicOnly(rule.getTo(), w + " egress to " + number);
            }
          }
        }
      }
      assertThat(ports).as("egress ports of %s", w).isSubsetOf(allowed).containsAll(required);
    }
  }

  private static void assertPublicOnly(List<NetworkPolicyPeer> peers, String what) {
    assertThat(peers).as(what + " names its destinations").isNotEmpty();
    for (NetworkPolicyPeer peer : peers) {
      IPBlock block = peer.getIpBlock();
      assertThat(block).as(what + " goes to address blocks only").isNotNull();
      if (block.getCidr().equals("0.0.0.0/0")) {
        assertThat(block.getExcept())
            .as(what + " excludes private ranges")
            .containsAll(PRIVATE_RANGES);
      } else {
        assertThat(block.getCidr()).as(what).isEqualTo("::/0");
        assertThat(block.getExcept())
            .as(what + " excludes private ranges")
            .contains("fc00::/7", "fe80::/10");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void onlyTheIngressControllerAndPrometheusReachTheApps(Overlay overlay) {
    for (App app : App.values()) {
      for (Workload w : Workload.kiln(overlay, app.component())) {
        int port = app.httpPort(w.env(w.container(app.container())));
        Set<String> sources = new TreeSet<>();
        for (NetworkPolicy p : selecting(overlay, w)) {
          for (var rule : p.getSpec().getIngress()) {
            assertThat(rule.getPorts())
                .extracting(r -> r.getPort().getIntVal())
                .as("%s ingress ports", w)
                .containsOnly(port);
            for (NetworkPolicyPeer from : rule.getFrom()) {
              assertThat(from.getNamespaceSelector())
                  .as("%s: ingress from a named namespace", w)
                  .isNotNull();
              sources.add(
                  from.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"));
            }
          }
        }
        Set<String> expected =
            app == App.GATEWAY ? Set.of("ingress-nginx", "monitoring") : Set.of("monitoring");
        assertThat(sources).as("namespaces reaching %s", w).isEqualTo(expected);
      }
    }
  }

  private static List<NetworkPolicy> selecting(Overlay overlay, Workload w) {
    return policies(overlay).stream()
        .filter(p -> Selectors.matches(p.getSpec().getPodSelector(), w.podLabels()))
        .toList();
  }

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void everyPodHasSomeAllowRule(Overlay overlay) {
    for (Workload w : Workload.all(overlay)) {
      long allows =
          selecting(overlay, w).stream()
              .filter(
                  p -> !p.getSpec().getIngress().isEmpty() || !p.getSpec().getEgress().isEmpty())
              .count();
      Manifest m = w.manifest();
      assertThat(allows).as("%s would be cut off entirely by the default deny", m).isPositive();
    }
  }
}
