package dev.kiln.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.pipeline.JobPipeline;
import dev.kiln.worker.pipeline.Stage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineRegistryTest {

  private static final List<String> DESCRIBED = List.of("alpha", "beta", "gamma");

  @Test
  void everyPipelineRunsWhenNoTypesAreConfigured() {
    var registry =
        new PipelineRegistry(
            List.of(pipeline("beta"), pipeline("alpha")), Optional.empty(), DESCRIBED);

    assertThat(registry.types()).containsExactly("alpha", "beta");
    assertThat(registry.find("alpha")).isPresent();
    assertThat(registry.find("gamma")).isEmpty();
  }

  @Test
  void configuredTypesSelectASubsetInTheirOrder() {
    var registry =
        new PipelineRegistry(
            List.of(pipeline("alpha"), pipeline("beta"), pipeline("gamma")),
            Optional.of(List.of("gamma", " alpha ", "gamma")),
            DESCRIBED);

    assertThat(registry.types()).containsExactly("gamma", "alpha");
    assertThat(registry.find("beta")).isEmpty();
  }

  @Test
  void configuredTypeWithoutPipelineFailsStartup() {
    assertThatThrownBy(
            () ->
                new PipelineRegistry(
                    List.of(pipeline("alpha")), Optional.of(List.of("beta")), DESCRIBED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("beta");
  }

  @Test
  void pipelineWithoutDescriptorFailsStartup() {
    assertThatThrownBy(
            () -> new PipelineRegistry(List.of(pipeline("delta")), Optional.empty(), DESCRIBED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no descriptor");
  }

  @Test
  void twoPipelinesForOneTypeFailStartup() {
    assertThatThrownBy(
            () ->
                new PipelineRegistry(
                    List.of(pipeline("alpha"), pipeline("alpha")), Optional.empty(), DESCRIBED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two pipelines");
  }

  private static JobPipeline pipeline(String type) {
    return new JobPipeline() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public List<Stage> stages(JobMessage job) {
        return List.of();
      }
    };
  }
}
