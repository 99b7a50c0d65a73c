package dev.kiln.gateway.jobs;

import com.rabbitmq.client.GetResponse;
import dev.kiln.model.fixtures.LocalBroker;
import dev.kiln.model.messages.JobMessage;
import java.time.Duration;
import java.util.UUID;

/** Reads job messages from a test's tap on {@code kiln.jobs}. */
public final class Messages {

  private Messages() {}

  /** The message of {@code attempt} of job {@code id}, skipping everything else. */
  public static JobMessage await(LocalBroker broker, String tap, UUID id, int attempt)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      GetResponse r = broker.next(tap, Duration.ofMillis(200));
      if (r != null) {
        JobMessage m = broker.read(r, JobMessage.class);
        if (m.jobId().equals(id) && m.attempt() == attempt) {
          return m;
        }
      }
    }
    throw new AssertionError("no job message for attempt " + attempt + " of " + id);
  }
}
