package dev.kiln.systemtest.fault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.json.KilnJson;
import java.io.IOException;
import java.time.Duration;

/**
 * The client cancelling a {@link PlannedJob.Kind#CANCEL} job while it runs: it polls the job until
 * it is running (for a late cancel, until its artifact exists, so the cancel has an object to clean
 * up), waits the planned delay, then asks to cancel. Cancel jobs run for two stages of {@value
 * PlannedJob#CANCEL_STAGE_MILLIS} ms, so even a cancel held up by a 20 s outage reaches a running
 * job. What happened is kept in {@link Tracked#cancelNote} as evidence.
 */
final class Canceller implements Runnable {

  static final Duration GIVE_UP = Duration.ofSeconds(150);

  private final GoodClient client;
  private final Tracked job;

  Canceller(GoodClient client, Tracked job) {
    this.client = client;
    this.job = job;
  }

  @Override
  public void run() {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    int gateway = job.plan.index();
    String path = "/api/v1/jobs/" + job.id;
    try {
      while (true) {
        if (System.nanoTime() > deadline) {
          job.cancelNote = "never saw it running within " + GIVE_UP + "; cancelling anyway";
          break;
        }
        GoodClient.Answer answer = client.get(path, gateway++, GIVE_UP);
        JsonNode view = KilnJson.mapper().readTree(answer.body());
        String status = view.path("status").asText();
        if (status.equals("succeeded") || status.equals("failed") || status.equals("cancelled")) {
          job.cancelNote = "it ended " + status + " before the client could cancel it";
          return;
        }
        boolean ready =
            status.equals("running")
                && (!job.plan.cancelAfterArtifact() || !view.path("artifacts").isEmpty());
        if (ready) {
          job.cancelNote =
              (job.plan.cancelAfterArtifact() ? "after its artifact, " : "while running, ")
                  + "in "
                  + view.path("currentStage").asText();
          break;
        }
        Os.sleep(Duration.ofMillis(250));
      }
      Os.sleep(Duration.ofMillis(job.plan.cancelDelayMillis()));
      GoodClient.Answer cancel = client.post(path + "/cancel", null, null, gateway, GIVE_UP);
      job.cancelNote += "; cancel answered " + cancel.status();
      if (cancel.status() != 202) {
        job.cancelNote += " " + cancel.body();
      }
    } catch (IOException | RuntimeException e) {
      job.cancelNote =
          (job.cancelNote == null ? "" : job.cancelNote + "; ") + "cancel failed: " + e;
    }
  }
}
