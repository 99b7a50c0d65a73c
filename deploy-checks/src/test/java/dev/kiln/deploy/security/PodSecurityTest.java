package dev.kiln.deploy.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.deploy.App;
import dev.kiln.deploy.Manifest;
import dev.kiln.deploy.Overlay;
import dev.kiln.deploy.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every pod the overlays run meets the restricted Pod Security Standard (the dev namespace enforces
 * it), and Kiln's own pods are hardened beyond it: read-only root file system, no service account
 * token, no service links, bounded resources.
 */
class PodSecurityTest {

  private static final Set<String> RESTRICTED_VOLUMES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void everyPodMeetsTheRestrictedStandard(Overlay overlay) {
    for (Workload w : Workload.all(overlay)) {
      PodSpec pod = w.template().getSpec();
      PodSecurityContext podContext = pod.getSecurityContext();
      assertThat(pod.getHostNetwork()).as("%s hostNetwork", w).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostPID()).as("%s hostPID", w).isNotEqualTo(Boolean.TRUE);
      assertThat(pod.getHostIPC()).as("%s hostIPC", w).isNotEqualTo(Boolean.TRUE);
      for (Volume v : pod.getVolumes()) {
        assertThat(volumeType(v)).as("%s volume %s", w, v.getName()).isIn(RESTRICTED_VOLUMES);
      }
      for (Container c :
          Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream()).toList()) {
        String what = w + " container " + c.getName();
        SecurityContext sc = c.getSecurityContext();
        assertThat(sc).as(what + " securityContext").isNotNull();
        assertThat(sc.getAllowPrivilegeEscalation())
            .as(what + " allowPrivilegeEscalation")
            .isFalse();
        assertThat(sc.getPrivileged()).as(what + " privileged").isNotEqualTo(Boolean.TRUE);
        assertThat(sc.getCapabilities().getDrop()).as(what + " drops").contains("ALL");
        assertThat(sc.getCapabilities().getAdd()).as(what + " adds").isSubsetOf("NET_BIND_SERVICE");
        Boolean nonRoot =
            sc.getRunAsNonRoot() != null
                ? sc.getRunAsNonRoot()
                : podContext == null ? null : podContext.getRunAsNonRoot();
        assertThat(nonRoot).as(what + " runAsNonRoot").isTrue();
        Long user =
            sc.getRunAsUser() != null
                ? sc.getRunAsUser()
                : podContext == null ? null : podContext.getRunAsUser();
        assertThat(user)
            .as(
                what
                    + " runs as a numeric non-root user (runAsNonRoot needs it for named image users)")
            .isNotNull()
            .isNotZero();
        var seccomp =
            sc.getSeccompProfile() != null
                ? sc.getSeccompProfile()
                : podContext == null ? null : podContext.getSeccompProfile();
        assertThat(seccomp).as(what + " seccompProfile").isNotNull();
        assertThat(seccomp.getType())
            .as(what + " seccompProfile")
            .isIn("RuntimeDefault", "Localhost");
        c.getPorts().forEach(p -> assertThat(p.getHostPort()).as(what + " hostPort").isNull());
      }
    }
  }

  private static String volumeType(Volume v) {
    if (v.getConfigMap() != null) return "configMap";
    if (v.getCsi() != null) return "csi";
    if (v.getDownwardAPI() != null) return "downwardAPI";
    if (v.getEmptyDir() != null) return "emptyDir";
    if (v.getEphemeral() != null) return "ephemeral";
    if (v.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
    if (v.getProjected() != null) return "projected";
    if (v.getSecret() != null) return "secret";
    return "another type";
  }

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void kilnPodsAreHardened(Overlay overlay) {
    for (App app : App.values()) {
      List<Workload> workloads = Workload.kiln(overlay, app.component());
      for (Workload w : workloads) {
        PodSpec pod = w.template().getSpec();
        Container c = w.container(app.container());
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem())
            .as("%s readOnlyRootFilesystem", w)
            .isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).as("%s mounts no token", w).isFalse();
        assertThat(pod.getEnableServiceLinks())
            .as("%s: service links could override KILN_* settings", w)
            .isFalse();
        var tmp =
            c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst();
        assertThat(tmp).as("%s has a writable /tmp", w).isPresent();
        Volume volume =
            pod.getVolumes().stream()
                .filter(v -> v.getName().equals(tmp.get().getName()))
                .findFirst()
                .orElseThrow();
        assertThat(volume.getEmptyDir()).as("%s /tmp is an emptyDir", w).isNotNull();
        assertThat(volume.getEmptyDir().getSizeLimit()).as("%s /tmp is bounded", w).isNotNull();
        // why: the kubelet evicts a pod whose emptyDirs and logs exceed its ephemeral-storage
        // limit, so a full /tmp must stay below it
        var ephemeral = c.getResources().getLimits().get("ephemeral-storage");
        assertThat(ephemeral).as("%s limits ephemeral-storage", w).isNotNull();
        assertThat(Quantity.getAmountInBytes(volume.getEmptyDir().getSizeLimit()))
            .as("%s /tmp sizeLimit below the ephemeral-storage limit", w)
            .isLessThan(Quantity.getAmountInBytes(ephemeral));
        for (String resource : List.of("cpu", "memory")) {
          assertThat(c.getResources().getRequests()).as("%s requests", w).containsKey(resource);
          assertThat(c.getResources().getLimits()).as("%s limits", w).containsKey(resource);
        }
        Manifest account = overlay.get("ServiceAccount", pod.getServiceAccountName());
        assertThat(account.as(ServiceAccount.class).getAutomountServiceAccountToken())
            .as("%s", account)
            .isFalse();
      }
    }
  }
}
