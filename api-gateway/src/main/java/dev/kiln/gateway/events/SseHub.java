package dev.kiln.gateway.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * This replica's SSE clients, indexed by job and batch, fed by relayed events. Created at start so
 * that {@code kiln_sse_clients} is published (as 0) before the first client connects.
 */
@Startup
@ApplicationScoped
public class SseHub {

  /** why: tell clients to come back soon after a restart or a rolling update. */
  static final long RECONNECT_HINT_MS = 2000;

  private final Map<UUID, Set<SseSubscription>> byJob = new ConcurrentHashMap<>();
  private final Map<UUID, Set<SseSubscription>> byBatch = new ConcurrentHashMap<>();

  /** All-jobs streams of admins, who see every tenant. */
  private final Set<SseSubscription> everything = ConcurrentHashMap.newKeySet();

  /**
   * All-jobs streams of tenant keys, by tenant. why: an event is offered only to the streams that
   * may see it, so one tenant's busy jobs cost nothing for another tenant's dashboards.
   */
  private final Map<String, Set<SseSubscription>> byTenant = new ConcurrentHashMap<>();

  private final Set<SseSubscription> all = ConcurrentHashMap.newKeySet();

  /** The event loops of the clients seen so far; a handful, never removed. */
  private final Set<Executor> loops = ConcurrentHashMap.newKeySet();

  @Inject
  void registerGauge(MeterRegistry registry) {
    registry.gauge("kiln_sse_clients", all, Set::size);
  }

  public Runnable subscribeJob(UUID jobId, SseSubscription s) {
    return add(byJob, jobId, s);
  }

  public Runnable subscribeBatch(UUID batchId, SseSubscription s) {
    return add(byBatch, batchId, s);
  }

  /**
   * @param tenant the only tenant whose events the stream may see, or null for every tenant
   */
  public Runnable subscribeAll(String tenant, SseSubscription s) {
    if (tenant != null) {
      return add(byTenant, tenant, s);
    }
    everything.add(s);
    track(s);
    return () -> {
      everything.remove(s);
      all.remove(s);
    };
  }

  private <K> Runnable add(Map<K, Set<SseSubscription>> index, K key, SseSubscription s) {
    // why compute, not computeIfAbsent then add: the add must not land in a set that the last
    // subscriber's removal is dropping from the index at the same moment
    index.compute(
        key,
        (k, set) -> {
          Set<SseSubscription> subscribers = set == null ? ConcurrentHashMap.newKeySet() : set;
          subscribers.add(s);
          return subscribers;
        });
    track(s);
    return () -> {
      all.remove(s);
      index.computeIfPresent(
          key,
          (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
          });
    };
  }

  /**
   * Hands each event, serialised once, to every client that follows its job, batch or all.
   *
   * <p>why on the event loops: a write from another thread is queued as a task per write for the
   * connection's event loop; one task per event loop and relay batch, writing to that loop's
   * clients directly, saves that hand-over per client and lets the loops write in parallel. Tasks
   * of one loop run in order, so every client still gets events in relay order.
   */
  public void dispatch(List<StoredEvent> events) {
    List<Delivery> deliveries = new ArrayList<>(events.size());
    for (StoredEvent event : events) {
      List<Set<SseSubscription>> targets = new ArrayList<>(4);
      addIfAny(targets, byJob.get(event.jobId()));
      if (event.batchId() != null) {
        addIfAny(targets, byBatch.get(event.batchId()));
      }
      if (event.tenant() != null) {
        addIfAny(targets, byTenant.get(event.tenant()));
      }
      addIfAny(targets, everything);
      if (!targets.isEmpty()) {
        SseFrame frame = new SseFrame(event);
        // why here: the loops share the frame, and their tasks see what was made before them
        frame.bytes();
        deliveries.add(new Delivery(frame, targets));
      }
    }
    if (deliveries.isEmpty()) {
      return;
    }
    for (Executor loop : loops) {
      loop.execute(() -> deliver(deliveries, loop));
    }
    // clients whose event loop is unknown get their frames from this thread
    deliver(deliveries, null);
  }

  private record Delivery(SseFrame frame, List<Set<SseSubscription>> targets) {}

  private static void addIfAny(List<Set<SseSubscription>> targets, Set<SseSubscription> set) {
    if (set != null && !set.isEmpty()) {
      targets.add(set);
    }
  }

  private static void deliver(List<Delivery> deliveries, Executor loop) {
    for (Delivery d : deliveries) {
      for (Set<SseSubscription> subscribers : d.targets()) {
        for (SseSubscription s : subscribers) {
          if (s.loop() == loop) {
            s.offer(d.frame());
          }
        }
      }
    }
  }

  private void track(SseSubscription s) {
    all.add(s);
    if (s.loop() != null) {
      loops.add(s.loop());
    }
  }

  public int clients() {
    return all.size();
  }

  /** Ends every stream with a reconnect hint; clients resume from the store. */
  public void closeAll() {
    forEach(s -> s.closeWithRetryHint(SseSubscription.RECONNECT_MS));
  }

  /** Ends every stream with the shutdown reconnect hint; clients resume on another replica. */
  public void closeAllForShutdown() {
    forEach(s -> s.closeWithRetryHint(RECONNECT_HINT_MS));
  }

  @Scheduled(every = "15s", delayed = "15s")
  void keepAlive() {
    forEach(s -> s.comment(SseFrame.KEEP_ALIVE));
  }

  /**
   * why: normally the streams ended already when shutdown began (ShutdownGate); any left end now.
   */
  void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
    closeAllForShutdown();
  }

  private void forEach(Consumer<SseSubscription> action) {
    List.copyOf(all).forEach(action);
  }
}
