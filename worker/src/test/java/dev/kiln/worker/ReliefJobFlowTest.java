package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.InputRef;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.config.BrokerConfig;
import dev.kiln.worker.config.StorageConfig;
import dev.kiln.worker.testing.BrokerProbe;
import dev.kiln.worker.testing.BrokerProbe.Received;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconstruction type as the gateway hands it over: a job message on kiln.jobs.reconstruction
 * and an input object in the bucket, events out and artifacts in the bucket.
 */
@QuarkusTest
class ReliefJobFlowTest {

  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

  @Inject BrokerConfig brokerConfig;
  @Inject StorageConfig storageConfig;
  @Inject MinioClient minio;

  private BrokerProbe probe;
  private final UUID jobId = UUID.randomUUID();

  @BeforeEach
  void connect() throws Exception {
    probe = new BrokerProbe(brokerConfig.settings());
    probe.purge(Topology.workQueue("reconstruction"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    probe.close();
    // why: the bucket is shared by the worker suite; leave nothing of this job behind
    for (String root : List.of("inputs/", "artifacts/", "work/")) {
      for (String key : keys(root + jobId + "/")) {
        minio.removeObject(
            RemoveObjectArgs.builder().bucket(storageConfig.bucket()).object(key).build());
      }
    }
  }

  @Test
  void workerConsumesReconstructionJobsAndStoresTheModel() throws Exception {
    byte[] png = stripesPng(96, 64);
    String inputKey = "inputs/" + jobId + "/stripes.png";
    minio.putObject(
        PutObjectArgs.builder().bucket(storageConfig.bucket()).object(inputKey).stream(
                new ByteArrayInputStream(png), png.length, -1)
            .contentType("image/png")
            .build());
    ObjectNode params =
        KilnJson.mapper().createObjectNode().put("quality", "low").put("face_limit", 1_000);
    params.putArray("formats").add("glb").add("stl");
    probe.publishJob(
        new JobMessage(
            JobMessage.VERSION,
            jobId,
            "reconstruction",
            1,
            params,
            List.of(InputRef.object("stripes.png", inputKey, "image/png", png.length, null)),
            null,
            Instant.now()));

    List<JobEvent> events =
        probe.awaitTerminal(jobId, JOB_TIMEOUT).stream().map(Received::event).toList();

    assertThat(events.getLast().type()).isEqualTo("job.succeeded");
    assertThat(events)
        .extracting(JobEvent::payload)
        .filteredOn(EventPayload.ArtifactCreated.class::isInstance)
        .hasSize(4);
    assertThat(keys("artifacts/" + jobId + "/"))
        .containsExactlyInAnyOrder(
            "artifacts/" + jobId + "/model.glb",
            "artifacts/" + jobId + "/model.stl",
            "artifacts/" + jobId + "/preview.png",
            "artifacts/" + jobId + "/metadata.json");
  }

  /** Vertical grey stripes: a corrugated relief, generated here rather than shipped. */
  private static byte[] stripesPng(int w, int h) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = (x / 8) % 2 == 0 ? 40 : 220;
        img.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private List<String> keys(String prefix) throws Exception {
    List<String> keys = new ArrayList<>();
    for (Result<Item> r :
        minio.listObjects(
            ListObjectsArgs.builder()
                .bucket(storageConfig.bucket())
                .prefix(prefix)
                .recursive(true)
                .build())) {
      keys.add(r.get().objectName());
    }
    return keys;
  }
}
