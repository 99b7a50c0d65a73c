package dev.kiln.worker.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.ExecutionPolicy;
import dev.kiln.model.messages.InputRef;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.pipeline.JobPipeline;
import dev.kiln.worker.pipeline.PipelineRunner;
import dev.kiln.worker.pipeline.RunObserver;
import dev.kiln.worker.pipeline.RunOutcome;
import dev.kiln.worker.pipeline.RunRequest;
import dev.kiln.worker.storage.RetryingStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs one job of a pipeline through the real {@link PipelineRunner} against an in-memory store:
 * inputs are put where the gateway would put uploads, events and artifacts are kept for checks.
 */
public class PipelineHarness {

  public final InMemoryObjectStore store = new InMemoryObjectStore();
  public final List<JobEvent> events = new CopyOnWriteArrayList<>();
  public final UUID jobId = UUID.randomUUID();

  /** An input as a client would upload it. */
  public record Input(String name, byte[] bytes, String contentType) {}

  private final JobPipeline pipeline;

  public PipelineHarness(JobPipeline pipeline) {
    this.pipeline = pipeline;
  }

  public RunOutcome run(ObjectNode params, List<Input> inputs) {
    List<InputRef> refs = new java.util.ArrayList<>();
    for (Input input : inputs) {
      String key = "inputs/" + jobId + "/" + input.name();
      store.objects.put(key, input.bytes());
      refs.add(InputRef.object(input.name(), key, input.contentType(), input.bytes().length, null));
    }
    PipelineRunner runner =
        new PipelineRunner(
            new RetryingStore(store, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ZERO),
            Duration.ZERO,
            RunObserver.NONE,
            (next, delay) -> {},
            () -> 0.5);
    JobMessage job =
        new JobMessage(
            1,
            jobId,
            pipeline.type(),
            1,
            params,
            List.copyOf(refs),
            null,
            Instant.now(),
            new ExecutionPolicy(2, 100, 1_000, 600_000));
    return runner.run(new RunRequest(job, "w", 1, () -> false), pipeline, events::add).outcome();
  }

  public byte[] artifact(String name) {
    return store.objects.get("artifacts/" + jobId + "/" + name);
  }

  public List<String> artifactNames() {
    String prefix = "artifacts/" + jobId + "/";
    return store.keys(prefix).stream().map(k -> k.substring(prefix.length())).sorted().toList();
  }

  public EventPayload.JobFailed failure() {
    return (EventPayload.JobFailed) events.getLast().payload();
  }

  public List<EventPayload.StageProgress> progressOf(String stage) {
    return events.stream()
        .map(JobEvent::payload)
        .filter(EventPayload.StageProgress.class::isInstance)
        .map(EventPayload.StageProgress.class::cast)
        .filter(p -> p.stage().equals(stage))
        .toList();
  }

  public static ObjectNode params() {
    return KilnJson.mapper().createObjectNode();
  }
}
