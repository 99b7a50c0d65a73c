package dev.kiln.deploy.schema;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the OpenAPI schema alone does not say but the API server (or the kubelet) enforces: required
 * fields, value ranges, name syntax, one probe handler, selectors that match their template,
 * requests within limits. Each rule returns messages; an empty list means valid.
 */
public final class BuiltinRules {

  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern DNS_1035 = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern PORT_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
  private static final Pattern LABEL_NAME =
      Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
  private static final Pattern ENV_NAME = Pattern.compile("^[-._a-zA-Z][-._a-zA-Z0-9]*$");

  private BuiltinRules() {}

  public static List<String> check(Object typed) {
    List<String> problems = new ArrayList<>();
    if (typed instanceof HasMetadata object) {
      metadata(object, problems);
    }
    switch (typed) {
      case Deployment d -> {
        selectorMatchesTemplate(d.getSpec().getSelector(), d.getSpec().getTemplate(), problems);
        if (d.getSpec().getReplicas() != null && d.getSpec().getReplicas() < 0) {
          problems.add("spec.replicas: negative");
        }
        podTemplate(d.getSpec().getTemplate(), "spec.template", Set.of(), problems);
      }
      case StatefulSet s -> {
        selectorMatchesTemplate(s.getSpec().getSelector(), s.getSpec().getTemplate(), problems);
        // claim templates become volumes of the same name
        Set<String> claims = new HashSet<>();
        s.getSpec().getVolumeClaimTemplates().forEach(c -> claims.add(c.getMetadata().getName()));
        podTemplate(s.getSpec().getTemplate(), "spec.template", claims, problems);
        for (PersistentVolumeClaim claim : s.getSpec().getVolumeClaimTemplates()) {
          Quantity storage = claim.getSpec().getResources().getRequests().get("storage");
          if (storage == null) {
            problems.add(
                "volumeClaimTemplates " + claim.getMetadata().getName() + ": no storage request");
          } else {
            quantity(storage, "volumeClaimTemplates.storage", problems);
          }
        }
      }
      case Job j -> {
        podTemplate(j.getSpec().getTemplate(), "spec.template", Set.of(), problems);
        String restart = j.getSpec().getTemplate().getSpec().getRestartPolicy();
        if (!"OnFailure".equals(restart) && !"Never".equals(restart)) {
          problems.add("spec.template.spec.restartPolicy: a Job needs OnFailure or Never");
        }
      }
      case Service s -> service(s, problems);
      case PodDisruptionBudget pdb -> {
        boolean min = pdb.getSpec().getMinAvailable() != null;
        boolean max = pdb.getSpec().getMaxUnavailable() != null;
        if (min == max) {
          problems.add("spec: exactly one of minAvailable and maxUnavailable");
        }
        if (pdb.getSpec().getSelector() == null) {
          problems.add("spec.selector: required (without it the budget covers no pod)");
        }
      }
      case NetworkPolicy np -> networkPolicy(np, problems);
      default -> {}
    }
    return problems;
  }

  private static void metadata(HasMetadata object, List<String> problems) {
    String name = object.getMetadata() == null ? null : object.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      problems.add("metadata.name: required");
      return;
    }
    Pattern syntax = object instanceof Service ? DNS_1035 : DNS_SUBDOMAIN;
    int max = object instanceof Service ? 63 : 253;
    if (!syntax.matcher(name).matches() || name.length() > max) {
      problems.add("metadata.name: \"" + name + "\" is not a valid name for a " + object.getKind());
    }
    labels(object.getMetadata().getLabels(), "metadata.labels", problems);
  }

  private static void labels(Map<String, String> labels, String path, List<String> problems) {
    if (labels == null) {
      return;
    }
    labels.forEach(
        (key, value) -> {
          String name = key.contains("/") ? key.substring(key.indexOf('/') + 1) : key;
          String prefix = key.contains("/") ? key.substring(0, key.indexOf('/')) : "";
          if (!LABEL_NAME.matcher(name).matches()
              || name.length() > 63
              || (!prefix.isEmpty() && !DNS_SUBDOMAIN.matcher(prefix).matches())) {
            problems.add(path + ": bad key " + key);
          }
          if (value == null || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
            problems.add(path + "." + key + ": bad value \"" + value + "\"");
          }
        });
  }

  private static void selectorMatchesTemplate(
      LabelSelector selector, PodTemplateSpec template, List<String> problems) {
    if (selector == null
        || selector.getMatchLabels() == null
        || selector.getMatchLabels().isEmpty()) {
      problems.add("spec.selector.matchLabels: required");
      return;
    }
    Map<String, String> podLabels = template.getMetadata().getLabels();
    selector
        .getMatchLabels()
        .forEach(
            (k, v) -> {
              if (podLabels == null || !v.equals(podLabels.get(k))) {
                problems.add(
                    "spec.selector: " + k + "=" + v + " is not a label of the pod template");
              }
            });
  }

  private static void podTemplate(
      PodTemplateSpec template, String path, Set<String> claimVolumes, List<String> problems) {
    if (template == null || template.getSpec() == null) {
      problems.add(path + ".spec: required");
      return;
    }
    labels(
        template.getMetadata() == null ? null : template.getMetadata().getLabels(),
        path + ".metadata.labels",
        problems);
    PodSpec spec = template.getSpec();
    if (spec.getContainers().isEmpty()) {
      problems.add(path + ".spec.containers: at least one container");
    }
    Set<String> volumes = new HashSet<>(claimVolumes);
    for (Volume v : spec.getVolumes()) {
      if (!volumes.add(v.getName())) {
        problems.add(path + ".spec.volumes: duplicate " + v.getName());
      }
    }
    Set<String> names = new HashSet<>();
    List<Container> all =
        Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream()).toList();
    for (Container c : all) {
      String at = path + ".spec.containers[" + c.getName() + "]";
      if (c.getName() == null || !DNS_LABEL.matcher(c.getName()).matches()) {
        problems.add(at + ".name: not a DNS label");
      } else if (!names.add(c.getName())) {
        problems.add(at + ": duplicate container name");
      }
      if (c.getImage() == null || c.getImage().isBlank()) {
        problems.add(at + ".image: required");
      }
      container(c, at, volumes, problems);
    }
  }

  private static void container(
      Container c, String at, Set<String> volumes, List<String> problems) {
    Set<String> portNames = new HashSet<>();
    for (ContainerPort p : c.getPorts()) {
      if (p.getContainerPort() == null
          || p.getContainerPort() < 1
          || p.getContainerPort() > 65535) {
        problems.add(at + ".ports: containerPort " + p.getContainerPort() + " out of 1..65535");
      }
      if (p.getName() != null) {
        if (p.getName().length() > 15 || !PORT_NAME.matcher(p.getName()).matches()) {
          problems.add(at + ".ports: \"" + p.getName() + "\" is not a valid port name");
        }
        if (!portNames.add(p.getName())) {
          problems.add(at + ".ports: duplicate name " + p.getName());
        }
      }
    }
    probe(c.getStartupProbe(), at + ".startupProbe", portNames, problems);
    probe(c.getReadinessProbe(), at + ".readinessProbe", portNames, problems);
    probe(c.getLivenessProbe(), at + ".livenessProbe", portNames, problems);
    Set<String> envNames = new HashSet<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getName() == null || !ENV_NAME.matcher(e.getName()).matches()) {
        problems.add(at + ".env: bad name " + e.getName());
      } else if (!envNames.add(e.getName())) {
        problems.add(at + ".env: " + e.getName() + " set twice");
      }
      if (e.getValue() != null && e.getValueFrom() != null) {
        problems.add(at + ".env." + e.getName() + ": value and valueFrom are exclusive");
      }
      EnvVarSource from = e.getValueFrom();
      if (from != null) {
        long sources =
            Stream.of(
                    from.getSecretKeyRef(),
                    from.getConfigMapKeyRef(),
                    from.getFieldRef(),
                    from.getResourceFieldRef(),
                    from.getFileKeyRef())
                .filter(Objects::nonNull)
                .count();
        if (sources != 1) {
          problems.add(at + ".env." + e.getName() + ".valueFrom: exactly one source");
        }
      }
    }
    for (VolumeMount m : c.getVolumeMounts()) {
      if (!volumes.contains(m.getName())) {
        problems.add(at + ".volumeMounts: no volume named " + m.getName());
      }
      if (m.getMountPath() == null || !m.getMountPath().startsWith("/")) {
        problems.add(at + ".volumeMounts." + m.getName() + ": mountPath must be absolute");
      }
    }
    resources(c.getResources(), at + ".resources", problems);
  }

  private static void probe(Probe probe, String at, Set<String> portNames, List<String> problems) {
    if (probe == null) {
      return;
    }
    long handlers =
        Stream.of(probe.getHttpGet(), probe.getTcpSocket(), probe.getExec(), probe.getGrpc())
            .filter(Objects::nonNull)
            .count();
    if (handlers != 1) {
      problems.add(at + ": exactly one of httpGet, tcpSocket, exec, grpc");
      return;
    }
    IntOrString port = null;
    if (probe.getHttpGet() != null) {
      port = probe.getHttpGet().getPort();
      String path = probe.getHttpGet().getPath();
      if (path == null || !path.startsWith("/")) {
        problems.add(at + ".httpGet.path: must start with /");
      }
    } else if (probe.getTcpSocket() != null) {
      port = probe.getTcpSocket().getPort();
    } else if (probe.getExec() != null && probe.getExec().getCommand().isEmpty()) {
      problems.add(at + ".exec.command: required");
    }
    if (port != null) {
      if (port.getStrVal() != null && !portNames.contains(port.getStrVal())) {
        problems.add(at + ": the container has no port named " + port.getStrVal());
      }
      if (port.getIntVal() != null && (port.getIntVal() < 1 || port.getIntVal() > 65535)) {
        problems.add(at + ": port " + port.getIntVal() + " out of range");
      }
    }
  }

  private static void resources(ResourceRequirements r, String at, List<String> problems) {
    if (r == null) {
      return;
    }
    r.getRequests().forEach((k, q) -> quantity(q, at + ".requests." + k, problems));
    r.getLimits().forEach((k, q) -> quantity(q, at + ".limits." + k, problems));
    r.getRequests()
        .forEach(
            (k, request) -> {
              Quantity limit = r.getLimits().get(k);
              if (limit != null && amount(request).compareTo(amount(limit)) > 0) {
                problems.add(at + "." + k + ": request " + request + " above limit " + limit);
              }
            });
  }

  private static BigDecimal amount(Quantity q) {
    try {
      return Quantity.getAmountInBytes(q);
    } catch (RuntimeException e) {
      return BigDecimal.ZERO;
    }
  }

  private static void quantity(Quantity q, String at, List<String> problems) {
    try {
      Quantity.getAmountInBytes(q);
    } catch (RuntimeException e) {
      problems.add(at + ": \"" + q + "\" is not a quantity");
    }
  }

  private static void service(Service s, List<String> problems) {
    if (s.getSpec().getSelector() == null || s.getSpec().getSelector().isEmpty()) {
      problems.add("spec.selector: required (this Service would have no endpoints)");
    }
    Set<String> names = new HashSet<>();
    for (ServicePort p : s.getSpec().getPorts()) {
      if (p.getPort() == null || p.getPort() < 1 || p.getPort() > 65535) {
        problems.add("spec.ports: port " + p.getPort() + " out of range");
      }
      if (s.getSpec().getPorts().size() > 1 && (p.getName() == null || !names.add(p.getName()))) {
        problems.add("spec.ports: several ports need distinct names");
      }
    }
  }

  private static void networkPolicy(NetworkPolicy np, List<String> problems) {
    List<NetworkPolicyPort> ports = new ArrayList<>();
    List<NetworkPolicyPeer> peers = new ArrayList<>();
    np.getSpec()
        .getIngress()
        .forEach(
            r -> {
              ports.addAll(r.getPorts());
              peers.addAll(r.getFrom());
            });
    np.getSpec()
        .getEgress()
        .forEach(
            r -> {
              ports.addAll(r.getPorts());
              peers.addAll(r.getTo());
            });
    for (NetworkPolicyPort p : ports) {
      IntOrString port = p.getPort();
      if (port != null
          && port.getIntVal() != null
          && (port.getIntVal() < 1 || port.getIntVal() > 65535)) {
        problems.add("port " + port.getIntVal() + " out of range");
      }
      if (p.getProtocol() != null && !Set.of("TCP", "UDP", "SCTP").contains(p.getProtocol())) {
        problems.add("protocol " + p.getProtocol() + " is not TCP, UDP or SCTP");
      }
    }
    for (NetworkPolicyPeer peer : peers) {
      IPBlock block = peer.getIpBlock();
      if (block == null) {
        continue;
      }
      if (peer.getPodSelector() != null || peer.getNamespaceSelector() != null) {
        problems.add("ipBlock cannot be combined with selectors in one peer");
      }
      Cidr cidr = Cidr.parse(block.getCidr(), problems);
      for (String except : block.getExcept()) {
        Cidr inner = Cidr.parse(except, problems);
        if (cidr != null && inner != null && !cidr.contains(inner)) {
          problems.add("ipBlock except " + except + " is not inside " + block.getCidr());
        }
      }
    }
  }

  /** An address block, enough to check that an "except" lies inside its "cidr". */
  record Cidr(byte[] address, int prefix) {
    static Cidr parse(String text, List<String> problems) {
      try {
        String[] parts = text.split("/");
        // why the pattern first: getByName resolves anything that is not a literal through DNS
        if (!parts[0].matches("^[0-9.]+$|^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$")) {
          throw new IllegalArgumentException("not an address literal");
        }
        byte[] address = InetAddress.getByName(parts[0]).getAddress();
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 0 || prefix > address.length * 8) {
          throw new IllegalArgumentException("prefix");
        }
        return new Cidr(address, prefix);
      } catch (RuntimeException | java.net.UnknownHostException e) {
        problems.add("\"" + text + "\" is not a CIDR block");
        return null;
      }
    }

    boolean contains(Cidr other) {
      if (other.address.length != address.length || other.prefix < prefix) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >> (bit % 8);
        if ((address[bit / 8] & mask) != (other.address[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
