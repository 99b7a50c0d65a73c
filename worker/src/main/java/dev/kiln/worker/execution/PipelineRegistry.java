package dev.kiln.worker.execution;

import dev.kiln.model.jobtypes.JobTypeCatalog;
import dev.kiln.worker.config.WorkerConfig;
import dev.kiln.worker.pipeline.JobPipeline;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The pipelines this worker runs: every pipeline bean, or those named by kiln.worker.types. */
@Singleton
public class PipelineRegistry {

  private final Map<String, JobPipeline> active;
  private final List<String> types;

  @Inject
  public PipelineRegistry(@Any Instance<JobPipeline> beans, WorkerConfig config) {
    this(beans.stream().toList(), config.types(), JobTypeCatalog.fromClasspath().names());
  }

  PipelineRegistry(
      List<JobPipeline> pipelines, Optional<List<String>> wanted, Collection<String> described) {
    Map<String, JobPipeline> byType = new TreeMap<>();
    for (JobPipeline p : pipelines) {
      // why: a type without a descriptor could never be submitted through the gateway
      if (!described.contains(p.type())) {
        throw new IllegalStateException(
            "pipeline "
                + p.getClass().getName()
                + " runs type '"
                + p.type()
                + "' with no descriptor");
      }
      JobPipeline clash = byType.put(p.type(), p);
      if (clash != null) {
        throw new IllegalStateException(
            "two pipelines for type '"
                + p.type()
                + "': "
                + clash.getClass().getName()
                + ", "
                + p.getClass().getName());
      }
    }
    List<String> names =
        wanted
            .map(w -> w.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList())
            .filter(w -> !w.isEmpty())
            .orElseGet(() -> new ArrayList<>(byType.keySet()));
    Map<String, JobPipeline> selected = new LinkedHashMap<>();
    for (String name : names) {
      JobPipeline p = byType.get(name);
      if (p == null) {
        throw new IllegalStateException(
            "kiln.worker.types names '"
                + name
                + "' but pipelines exist only for "
                + byType.keySet());
      }
      selected.put(name, p);
    }
    if (selected.isEmpty()) {
      throw new IllegalStateException("no job pipelines to run");
    }
    this.active = Map.copyOf(selected);
    this.types = List.copyOf(selected.keySet());
  }

  /** Types in configuration order. */
  public List<String> types() {
    return types;
  }

  public Optional<JobPipeline> find(String type) {
    return Optional.ofNullable(type == null ? null : active.get(type));
  }
}
