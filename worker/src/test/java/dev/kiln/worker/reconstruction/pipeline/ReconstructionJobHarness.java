package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.ExecutionPolicy;
import dev.kiln.model.messages.InputRef;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.pipeline.PipelineRunner;
import dev.kiln.worker.pipeline.RunObserver;
import dev.kiln.worker.pipeline.RunOutcome;
import dev.kiln.worker.pipeline.RunRequest;
import dev.kiln.worker.storage.RetryingStore;
import dev.kiln.worker.testing.InMemoryObjectStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;

/** Runs reconstruction jobs through the real pipeline runner against an in-memory store. */
final class ReconstructionJobHarness {

  final InMemoryObjectStore store = new InMemoryObjectStore();
  final List<JobEvent> events = new CopyOnWriteArrayList<>();
  final UUID jobId = UUID.randomUUID();

  /** An input as a client would upload it. */
  record Input(String name, byte[] bytes, String contentType) {}

  RunOutcome run(ObjectNode params, byte[] input, String contentType) {
    return run(params, List.of(new Input("input", input, contentType)));
  }

  RunOutcome run(ObjectNode params, List<Input> inputs) {
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
            ReconstructionPipeline.TYPE,
            1,
            params,
            List.copyOf(refs),
            null,
            Instant.now(),
            new ExecutionPolicy(2, 100, 1_000, 600_000));
    return runner
        .run(new RunRequest(job, "w", 1, () -> false), new ReconstructionPipeline(), events::add)
        .outcome();
  }

  byte[] artifact(String name) {
    return store.objects.get("artifacts/" + jobId + "/" + name);
  }

  List<String> artifactNames() {
    String prefix = "artifacts/" + jobId + "/";
    return store.keys(prefix).stream().map(k -> k.substring(prefix.length())).sorted().toList();
  }

  JsonNode metadata() throws IOException {
    return KilnJson.mapper().readTree(artifact(ModelExport.METADATA));
  }

  EventPayload.JobFailed failure() {
    return (EventPayload.JobFailed) events.getLast().payload();
  }

  List<EventPayload.StageProgress> progressOf(String stage) {
    return events.stream()
        .map(JobEvent::payload)
        .filter(EventPayload.StageProgress.class::isInstance)
        .map(EventPayload.StageProgress.class::cast)
        .filter(p -> p.stage().equals(stage))
        .toList();
  }

  static ObjectNode params() {
    return KilnJson.mapper().createObjectNode();
  }

  /**
   * Grey, bright centre fading to black at the corners: luminance equals v / 255 exactly, so
   * heights are predictable, and the dome is smooth so decimation has real work.
   */
  static byte[] radialGradientPng(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    double rMax = Math.hypot(cx, cy);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = (int) Math.round(255 * (1 - Math.hypot(x - cx, y - cy) / rMax));
        img.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
