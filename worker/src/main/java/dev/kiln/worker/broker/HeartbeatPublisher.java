package dev.kiln.worker.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kiln.model.events.WorkerHeartbeat;
import dev.kiln.model.json.KilnJson;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Tells the gateways every heartbeat interval that this worker is alive and what it runs. */
@Singleton
public class HeartbeatPublisher {

  private static final Logger LOG = Logger.getLogger(HeartbeatPublisher.class);

  // why: a heartbeat older than a few intervals says nothing about the worker any more
  private static final int TTL_INTERVALS = 3;

  private final EventPublisher publisher;
  private ScheduledExecutorService timer;

  @Inject
  public HeartbeatPublisher(EventPublisher publisher) {
    this.publisher = publisher;
  }

  public synchronized void start(
      Duration interval,
      String workerId,
      List<String> types,
      int capacity,
      Supplier<List<UUID>> runningJobs) {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("kiln-heartbeat").daemon().factory());
    long ttl = interval.toMillis() * TTL_INTERVALS;
    timer.scheduleAtFixedRate(
        () -> beat(workerId, types, capacity, runningJobs, ttl),
        0,
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void beat(
      String workerId,
      List<String> types,
      int capacity,
      Supplier<List<UUID>> runningJobs,
      long ttlMillis) {
    try {
      WorkerHeartbeat beat =
          new WorkerHeartbeat(
              WorkerHeartbeat.VERSION, workerId, types, runningJobs.get(), capacity, Instant.now());
      publisher
          .publishTransient(
              WorkerHeartbeat.ROUTING_KEY, KilnJson.mapper().writeValueAsBytes(beat), ttlMillis)
          .whenComplete(
              (ok, failure) -> {
                if (failure != null) {
                  LOG.debugf("heartbeat not confirmed: %s", failure.toString());
                }
              });
    } catch (JsonProcessingException | RuntimeException e) {
      // why: an exception would cancel the periodic task for good
      LOG.warnf("heartbeat failed: %s", e.toString());
    }
  }

  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
