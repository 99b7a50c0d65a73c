package dev.kiln.deploy.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.deploy.KubeModel;
import dev.kiln.deploy.Overlay;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The validators themselves: a check that accepts everything would pass every overlay. */
class StrictnessTest {

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: demo}
      spec:
        selector: {matchLabels: {app: demo}}
        template:
          metadata: {labels: {app: demo}}
          spec:
            containers:
              - name: demo
                image: demo:1
                ports: [{name: http, containerPort: 8080}]
                env: [{name: A, value: "1"}]
      """;

  private static JsonNode yaml(String text) {
    return Overlay.parseYaml(text).getFirst();
  }

  @Test
  void aValidDeploymentReads() {
    Deployment d = KubeModel.read(yaml(DEPLOYMENT), Deployment.class, "demo");
    assertThat(d.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
  }

  @Test
  void aMisspelledFieldFailsWithItsPath() {
    String typo = DEPLOYMENT.replace("ports: [{name: http,", "ports: [{nmae: http,");
    assertThatThrownBy(() -> KubeModel.read(yaml(typo), Deployment.class, "demo"))
        .hasMessageContaining("spec.template.spec.containers[0].ports[0].nmae");
  }

  @Test
  void aMisplacedFieldFails() {
    String misplaced =
        DEPLOYMENT.replace("  selector:", "  terminationGracePeriodSeconds: 30\n  selector:");
    assertThatThrownBy(() -> KubeModel.read(yaml(misplaced), Deployment.class, "demo"))
        .hasMessageContaining("spec.terminationGracePeriodSeconds");
  }

  @Test
  void aQuotedPortFails() {
    String quoted = DEPLOYMENT.replace("containerPort: 8080", "containerPort: \"8080\"");
    assertThatThrownBy(() -> KubeModel.read(yaml(quoted), Deployment.class, "demo"))
        .hasMessageContaining("containerPort");
  }

  @Test
  void anUnquotedEnvValueFails() {
    String unquoted = DEPLOYMENT.replace("value: \"1\"", "value: 1");
    assertThatThrownBy(() -> KubeModel.read(yaml(unquoted), Deployment.class, "demo"))
        .hasMessageContaining("env[0].value");
  }

  @Test
  void builtinRulesCatchWhatTheSchemaAllows() {
    String broken =
        DEPLOYMENT.replace(
            "env: [{name: A, value: \"1\"}]",
            "env: [{name: A, value: \"1\"}]\n"
                + "          readinessProbe: {periodSeconds: 5}\n"
                + "          livenessProbe: {httpGet: {path: /q/health/live, port: admin}}\n"
                + "          resources: {requests: {memory: 2Gi, cpu: 2x}, limits: {memory: 1Gi}}");
    Deployment d = KubeModel.read(yaml(broken), Deployment.class, "demo");
    assertThat(String.join("\n", BuiltinRules.check(d)))
        .contains("readinessProbe: exactly one of httpGet, tcpSocket, exec, grpc")
        .contains("livenessProbe: the container has no port named admin")
        .contains("requests.cpu: \"2x\" is not a quantity")
        .contains("memory: request 2Gi above limit 1Gi");
  }

  @Test
  void customResourceShapesAreClosedAndTyped() {
    JsonNode scaled =
        yaml(
            """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: w}
            spec:
              scaleTargetRef: {name: w}
              minReplicaCount: 3
              maxReplicaCount: 2
              fallbak: {failureThreshold: 3, replicas: 1}
              advanced:
                horizontalPodAutoscalerConfig:
                  behavior: {scaleDown: {stabilisationWindowSeconds: 300}}
              triggers:
                - type: rabbitmq
                  metadata: {mode: QueueLength, value: "four", queuName: kiln.jobs.x}
            """);
    java.util.List<String> problems = new java.util.ArrayList<>();
    CustomResources.shapeOf("keda.sh/v1alpha1", "ScaledObject")
        .orElseThrow()
        .check(scaled, "$", problems);
    assertThat(String.join("\n", problems))
        .contains("$.spec.fallbak: unknown field")
        .contains("scaleDown.stabilisationWindowSeconds")
        .contains("metadata.queuName: not a rabbitmq trigger parameter")
        .contains("metadata.queueName: required")
        .contains("metadata.value: \"four\" is not a number");
  }

  @Test
  void crossFieldRulesRunOnceTheShapeIsValid() {
    JsonNode scaled =
        yaml(
            """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: w}
            spec:
              scaleTargetRef: {name: w}
              minReplicaCount: 3
              maxReplicaCount: 2
              triggers:
                - type: rabbitmq
                  metadata: {mode: QueueLength, value: "4", queueName: kiln.jobs.x}
            """);
    java.util.List<String> problems = new java.util.ArrayList<>();
    CustomResources.shapeOf("keda.sh/v1alpha1", "ScaledObject")
        .orElseThrow()
        .check(scaled, "$", problems);
    assertThat(problems).containsExactly("$.spec: minReplicaCount 3 > maxReplicaCount 2");
  }
}
