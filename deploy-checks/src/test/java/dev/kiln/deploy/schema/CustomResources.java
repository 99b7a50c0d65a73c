package dev.kiln.deploy.schema;

import static dev.kiln.deploy.schema.Shape.any;
import static dev.kiln.deploy.schema.Shape.bool;
import static dev.kiln.deploy.schema.Shape.duration;
import static dev.kiln.deploy.schema.Shape.integer;
import static dev.kiln.deploy.schema.Shape.known;
import static dev.kiln.deploy.schema.Shape.list;
import static dev.kiln.deploy.schema.Shape.map;
import static dev.kiln.deploy.schema.Shape.obj;
import static dev.kiln.deploy.schema.Shape.oneOf;
import static dev.kiln.deploy.schema.Shape.opt;
import static dev.kiln.deploy.schema.Shape.quantity;
import static dev.kiln.deploy.schema.Shape.req;
import static dev.kiln.deploy.schema.Shape.str;
import static dev.kiln.deploy.schema.Shape.typed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.deploy.schema.Shape.Field;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Minimal schemas of the custom resources the manifests use, written from each project's CRD and
 * reference documentation at the versions named below. They hold the fields those CRDs define at
 * the levels Kiln uses (so a misspelled or misplaced field fails), the required ones, and the types
 * and values Kiln depends on; fields the CRDs define but Kiln does not use are accepted without a
 * deeper check.
 *
 * <p>why not the CRDs' own schemas: they are large, some are under licences this repository does
 * not take in, and none is published on Maven Central; a full validator for them (kubeconform) is
 * not packaged for Debian or npm. Update these when a manifest starts using a new field.
 */
public final class CustomResources {

  private static final Pattern NUMBER = Pattern.compile("^\\d+(\\.\\d+)?$");
  private static final Pattern DNS_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern DNS_NAME_OR_UNDERSCORE = Pattern.compile("^[a-z_][a-z0-9_]*$");

  // why after the patterns: the shapes below capture them while this class initialises

  private static final Map<String, Shape> SHAPES =
      Map.of(
          "keda.sh/v1alpha1/ScaledObject", scaledObject(),
          "keda.sh/v1alpha1/TriggerAuthentication", triggerAuthentication(),
          "monitoring.coreos.com/v1/ServiceMonitor", serviceMonitor(),
          "monitoring.coreos.com/v1/PodMonitor", podMonitor(),
          "monitoring.coreos.com/v1/PrometheusRule", prometheusRule(),
          "rabbitmq.com/v1beta1/RabbitmqCluster", rabbitmqCluster(),
          "postgresql.cnpg.io/v1/Cluster", cnpgCluster(),
          "minio.min.io/v2/Tenant", minioTenant());

  private CustomResources() {}

  public static Optional<Shape> shapeOf(String apiVersion, String kind) {
    return Optional.ofNullable(SHAPES.get(apiVersion + "/" + kind));
  }

  private static Shape resource(String apiVersion, String kind, Shape spec, Field... extra) {
    List<Field> fields = new ArrayList<>();
    fields.add(req("apiVersion", oneOf(apiVersion)));
    fields.add(req("kind", oneOf(kind)));
    fields.add(req("metadata", typed(ObjectMeta.class)));
    fields.add(req("spec", spec));
    fields.addAll(List.of(extra));
    return obj(fields);
  }

  private static Field[] concat(Field[] a, Field... b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(Field[]::new);
  }

  // --- KEDA 2.17 (keda.sh/v1alpha1) ---------------------------------------------------------

  static Shape scaledObject() {
    Shape trigger =
        obj(
                req("type", str()),
                req("metadata", map(str())),
                opt("name", str()),
                opt("useCachedMetrics", bool()),
                opt("metricType", oneOf("AverageValue", "Value", "Utilization")),
                opt(
                    "authenticationRef",
                    obj(
                        req("name", str()),
                        opt(
                            "kind",
                            oneOf("TriggerAuthentication", "ClusterTriggerAuthentication")))))
            .and(CustomResources::triggerMetadata);
    Shape spec =
        obj(
                req(
                    "scaleTargetRef",
                    obj(
                        req("name", str()),
                        opt("apiVersion", str()),
                        opt("kind", str()),
                        opt("envSourceContainerName", str()))),
                opt("pollingInterval", integer(1)),
                opt("cooldownPeriod", integer(0)),
                opt("initialCooldownPeriod", integer(0)),
                opt("idleReplicaCount", integer(0)),
                opt("minReplicaCount", integer(0)),
                opt("maxReplicaCount", integer(1)),
                opt(
                    "fallback",
                    obj(
                        req("failureThreshold", integer(1)),
                        req("replicas", integer(0)),
                        opt(
                            "behavior",
                            oneOf(
                                "static",
                                "currentReplicas",
                                "currentReplicasIfHigher",
                                "currentReplicasIfLower")))),
                opt(
                    "advanced",
                    obj(
                        opt("restoreToOriginalReplicaCount", bool()),
                        opt(
                            "horizontalPodAutoscalerConfig",
                            obj(
                                opt("name", str()),
                                opt("behavior", typed(HorizontalPodAutoscalerBehavior.class)))),
                        opt("scalingModifiers", any()))),
                req("triggers", list(trigger, 1)))
            .and(
                (s, problems) -> {
                  long min = s.path("minReplicaCount").asLong(0);
                  long max = s.path("maxReplicaCount").asLong(100);
                  if (min > max) {
                    problems.add("minReplicaCount " + min + " > maxReplicaCount " + max);
                  }
                  JsonNode fallback = s.path("fallback").path("replicas");
                  if (!fallback.isMissingNode() && fallback.asLong() > max) {
                    problems.add("fallback.replicas " + fallback.asLong() + " > maxReplicaCount");
                  }
                });
    return resource("keda.sh/v1alpha1", "ScaledObject", spec);
  }

  /** The rabbitmq scaler's metadata (KEDA 2.17); other trigger types are not used by Kiln. */
  private static void triggerMetadata(JsonNode trigger, List<String> problems) {
    String type = trigger.path("type").asText();
    if (!type.equals("rabbitmq")) {
      problems.add("trigger type " + type + " has no schema here; add one before using it");
      return;
    }
    JsonNode md = trigger.path("metadata");
    Set<String> keys =
        Set.of(
            "host",
            "hostFromEnv",
            "usernameFromEnv",
            "passwordFromEnv",
            "protocol",
            "mode",
            "value",
            "activationValue",
            "queueName",
            "vhostName",
            "useRegex",
            "pageSize",
            "operation",
            "timeout",
            "excludeUnacknowledged",
            "unsafeSsl");
    md.fieldNames()
        .forEachRemaining(
            k -> {
              if (!keys.contains(k)) {
                problems.add("metadata." + k + ": not a rabbitmq trigger parameter " + keys);
              }
            });
    if (!md.hasNonNull("queueName")) {
      problems.add("metadata.queueName: required");
    }
    if (!Set.of("QueueLength", "MessageRate").contains(md.path("mode").asText())) {
      problems.add("metadata.mode: must be QueueLength or MessageRate");
    }
    if (md.has("protocol")
        && !Set.of("auto", "http", "amqp").contains(md.path("protocol").asText())) {
      problems.add("metadata.protocol: must be auto, http or amqp");
    }
    for (String numeric : List.of("value", "activationValue")) {
      if (md.has(numeric) && !NUMBER.matcher(md.path(numeric).asText()).matches()) {
        problems.add(
            "metadata." + numeric + ": \"" + md.path(numeric).asText() + "\" is not a number");
      }
    }
    if (!md.hasNonNull("value")) {
      problems.add("metadata.value: required");
    }
    if (md.path("mode").asText().equals("MessageRate")
        && !md.path("protocol").asText().equals("http")) {
      problems.add("mode MessageRate needs protocol http");
    }
  }

  static Shape triggerAuthentication() {
    Shape ref = obj(req("parameter", str()), req("name", str()), req("key", str()));
    Shape spec =
        obj(
            concat(
                known(
                    "podIdentity",
                    "hashiCorpVault",
                    "azureKeyVault",
                    "awsSecretManager",
                    "gcpSecretManager",
                    "boundServiceAccountToken"),
                opt("secretTargetRef", list(ref)),
                opt("configMapTargetRef", list(ref)),
                opt(
                    "env",
                    list(
                        obj(
                            req("parameter", str()),
                            req("name", str()),
                            opt("containerName", str()))))));
    return resource("keda.sh/v1alpha1", "TriggerAuthentication", spec);
  }

  // --- Prometheus Operator 0.8x (monitoring.coreos.com/v1) ----------------------------------

  private static Field[] endpointFields() {
    return concat(
        known(
            "params",
            "relabelings",
            "metricRelabelings",
            "tlsConfig",
            "bearerTokenSecret",
            "authorization",
            "basicAuth",
            "oauth2",
            "proxyUrl",
            "followRedirects",
            "enableHttp2",
            "filterRunning",
            "honorLabels",
            "honorTimestamps",
            "trackTimestampsStaleness"),
        opt("path", str(Pattern.compile("^/.*"), "an absolute path")),
        opt("scheme", oneOf("http", "https", "HTTP", "HTTPS")),
        opt("interval", duration()),
        opt("scrapeTimeout", duration()));
  }

  private static Field[] monitorFields() {
    return concat(
        known(
            "namespaceSelector",
            "sampleLimit",
            "targetLimit",
            "labelLimit",
            "labelNameLengthLimit",
            "labelValueLengthLimit",
            "keepDroppedTargets",
            "attachMetadata",
            "scrapeProtocols",
            "fallbackScrapeProtocol",
            "scrapeClass",
            "bodySizeLimit",
            "nativeHistogramBucketLimit",
            "scrapeClassicHistograms"),
        req("selector", typed(LabelSelector.class)),
        opt("jobLabel", str()),
        opt("podTargetLabels", list(str())));
  }

  static Shape serviceMonitor() {
    Shape endpoint = obj(concat(endpointFields(), opt("port", str()), opt("targetPort", any())));
    return resource(
        "monitoring.coreos.com/v1",
        "ServiceMonitor",
        obj(
            concat(
                monitorFields(),
                opt("targetLabels", list(str())),
                req("endpoints", list(endpoint, 1)))));
  }

  static Shape podMonitor() {
    Shape endpoint =
        obj(concat(endpointFields(), opt("port", str()), opt("portNumber", integer(1, 65535))));
    return resource(
        "monitoring.coreos.com/v1",
        "PodMonitor",
        obj(concat(monitorFields(), req("podMetricsEndpoints", list(endpoint, 1)))));
  }

  static Shape prometheusRule() {
    Shape rule =
        obj(
                opt("alert", str()),
                opt("record", str()),
                req("expr", any()),
                opt("for", duration()),
                opt("keep_firing_for", duration()),
                opt("labels", map(str())),
                opt("annotations", map(str())))
            .and(
                (r, problems) -> {
                  if (r.has("alert") == r.has("record")) {
                    problems.add("a rule has exactly one of alert and record");
                  }
                  if (!(r.path("expr").isTextual() || r.path("expr").isNumber())) {
                    problems.add("expr must be a PromQL string");
                  }
                });
    Shape group =
        obj(
            req("name", str()),
            opt("interval", duration()),
            opt("query_offset", duration()),
            opt("limit", integer(0)),
            opt("labels", map(str())),
            opt("partial_response_strategy", str()),
            req("rules", list(rule, 1)));
    return resource(
        "monitoring.coreos.com/v1", "PrometheusRule", obj(req("groups", list(group, 1))));
  }

  // --- RabbitMQ Cluster Operator 2.x (rabbitmq.com/v1beta1) ---------------------------------

  static Shape rabbitmqCluster() {
    Shape podTemplate = obj(opt("metadata", any()), opt("spec", typed(PodSpec.class)));
    Shape statefulSetOverride =
        obj(
            opt("metadata", any()),
            opt(
                "spec",
                obj(
                    concat(
                        known(
                            "selector",
                            "serviceName",
                            "volumeClaimTemplates",
                            "podManagementPolicy",
                            "updateStrategy",
                            "minReadySeconds",
                            "persistentVolumeClaimRetentionPolicy",
                            "replicas"),
                        opt("template", podTemplate)))));
    Shape spec =
        obj(
            concat(
                known(
                    "imagePullSecrets",
                    "service",
                    "tls",
                    "skipPostDeploySteps",
                    "delayStartSeconds",
                    "autoEnableAllFeatureFlags",
                    "secretBackend",
                    "terminationGracePeriodSeconds"),
                opt("replicas", integer(1)),
                opt("image", str()),
                opt("persistence", obj(opt("storageClassName", str()), opt("storage", quantity()))),
                opt("resources", typed(ResourceRequirements.class)),
                opt("affinity", typed(Affinity.class)),
                opt("tolerations", list(typed(Toleration.class))),
                opt(
                    "rabbitmq",
                    obj(
                        opt("additionalPlugins", list(str())),
                        opt("additionalConfig", str()),
                        opt("advancedConfig", str()),
                        opt("envConfig", str()),
                        opt("erlangInetConfig", str()))),
                opt(
                    "override",
                    obj(opt("statefulSet", statefulSetOverride), opt("service", any())))));
    return resource("rabbitmq.com/v1beta1", "RabbitmqCluster", spec);
  }

  // --- CloudNativePG 1.2x (postgresql.cnpg.io/v1) -------------------------------------------

  static Shape cnpgCluster() {
    Shape storage =
        obj(
            opt("size", quantity()),
            opt("storageClass", str()),
            opt("resizeInUseVolumes", bool()),
            opt("pvcTemplate", any()));
    Shape initdb =
        obj(
            concat(
                known(
                    "encoding",
                    "localeCollate",
                    "localeCType",
                    "locale",
                    "localeProvider",
                    "icuLocale",
                    "icuRules",
                    "builtinLocale",
                    "dataChecksums",
                    "walSegmentSize",
                    "postInitSQL",
                    "postInitApplicationSQL",
                    "postInitTemplateSQL",
                    "postInitSQLRefs",
                    "postInitApplicationSQLRefs",
                    "postInitTemplateSQLRefs",
                    "import",
                    "options"),
                opt("database", str(DNS_NAME_OR_UNDERSCORE, "a database name")),
                opt("owner", str(DNS_NAME_OR_UNDERSCORE, "a role name")),
                opt("secret", obj(req("name", str())))));
    Shape spec =
        obj(
            concat(
                known(
                    "description",
                    "imageCatalogRef",
                    "imagePullPolicy",
                    "imagePullSecrets",
                    "primaryUpdateMethod",
                    "backup",
                    "monitoring",
                    "managed",
                    "superuserSecret",
                    "enableSuperuserAccess",
                    "minSyncReplicas",
                    "maxSyncReplicas",
                    "topologySpreadConstraints",
                    "startDelay",
                    "stopDelay",
                    "smartShutdownTimeout",
                    "switchoverDelay",
                    "failoverDelay",
                    "enablePDB",
                    "plugins",
                    "certificates",
                    "inheritedMetadata",
                    "env",
                    "envFrom",
                    "logLevel",
                    "priorityClassName",
                    "schedulerName",
                    "serviceAccountTemplate",
                    "projectedVolumeTemplate",
                    "ephemeralVolumeSource",
                    "ephemeralVolumesSizeLimit",
                    "seccompProfile",
                    "replica",
                    "replicationSlots",
                    "externalClusters",
                    "postgresUID",
                    "postgresGID",
                    "nodeMaintenanceWindow",
                    "livenessProbeTimeout",
                    "probes",
                    "tablespaces",
                    "walStorage"),
                req("instances", integer(1)),
                opt("imageName", str()),
                opt("primaryUpdateStrategy", oneOf("unsupervised", "supervised")),
                opt(
                    "postgresql",
                    obj(
                        concat(
                            known(
                                "pg_hba",
                                "pg_ident",
                                "shared_preload_libraries",
                                "syncReplicaElectionConstraint",
                                "synchronous",
                                "ldap",
                                "promotionTimeout",
                                "enableAlterSystem",
                                "extensions"),
                            opt("parameters", map(str()))))),
                opt(
                    "bootstrap",
                    obj(
                        opt("initdb", initdb),
                        opt("recovery", any()),
                        opt("pg_basebackup", any()))),
                req("storage", storage),
                opt("resources", typed(ResourceRequirements.class)),
                opt(
                    "affinity",
                    obj(
                        concat(
                            known(
                                "nodeSelector",
                                "nodeAffinity",
                                "tolerations",
                                "additionalPodAffinity",
                                "additionalPodAntiAffinity"),
                            opt("enablePodAntiAffinity", bool()),
                            opt("topologyKey", str()),
                            opt("podAntiAffinityType", oneOf("preferred", "required")))))));
    return resource("postgresql.cnpg.io/v1", "Cluster", spec);
  }

  // --- MinIO Operator 6.x (minio.min.io/v2) --------------------------------------------------

  static Shape minioTenant() {
    Shape pool =
        obj(concat(
                known(
                    "nodeSelector",
                    "annotations",
                    "labels",
                    "runtimeClassName",
                    "reclaimStorage",
                    "containerSecurityContext"),
                opt("name", str(DNS_NAME, "a DNS label")),
                req("servers", integer(1)),
                req("volumesPerServer", integer(1)),
                req("volumeClaimTemplate", typed(PersistentVolumeClaim.class)),
                opt("resources", typed(ResourceRequirements.class)),
                opt("securityContext", typed(PodSecurityContext.class)),
                opt("affinity", typed(Affinity.class)),
                opt("tolerations", list(typed(Toleration.class))),
                opt("topologySpreadConstraints", list(typed(TopologySpreadConstraint.class)))))
            .and(
                (p, problems) -> {
                  if (p.has("containerSecurityContext")) {
                    Shape.typed(SecurityContext.class)
                        .check(
                            p.get("containerSecurityContext"),
                            "containerSecurityContext",
                            problems);
                  }
                });
    Shape named = obj(req("name", str()));
    Shape spec =
        obj(
            concat(
                known(
                    "imagePullPolicy",
                    "imagePullSecret",
                    "certConfig",
                    "features",
                    "serviceMetadata",
                    "exposeServices",
                    "externalCertSecret",
                    "externalCaCertSecret",
                    "externalClientCertSecret",
                    "externalClientCertSecrets",
                    "podManagementPolicy",
                    "priorityClassName",
                    "serviceAccountName",
                    "prometheusOperator",
                    "prometheusOperatorScrapeMetricsPaths",
                    "liveness",
                    "readiness",
                    "startup",
                    "lifecycle",
                    "sideCars",
                    "kes",
                    "initContainers",
                    "additionalVolumes",
                    "additionalVolumeMounts",
                    "poolsMetadata",
                    "logging",
                    "mountPath",
                    "subPath"),
                req("pools", list(pool, 1)),
                opt("image", str()),
                opt("configuration", named),
                opt("users", list(named)),
                opt(
                    "buckets",
                    list(
                        obj(
                            req("name", str(DNS_NAME, "a bucket name")),
                            opt("region", str()),
                            opt("objectLock", bool())))),
                opt("requestAutoCert", bool()),
                opt("env", list(typed(EnvVar.class)))));
    return resource("minio.min.io/v2", "Tenant", spec, opt("scheduler", named));
  }
}
