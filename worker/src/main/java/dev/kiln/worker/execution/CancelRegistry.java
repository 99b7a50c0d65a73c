package dev.kiln.worker.execution;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The job attempts cancelled recently. Bounded in time and size: a command for a job this worker
 * never sees must not stay forever.
 */
@Singleton
public class CancelRegistry {

  static final Duration DEFAULT_TTL = Duration.ofHours(1);
  static final int DEFAULT_MAX_ENTRIES = 10_000;

  private record Key(UUID jobId, int attempt) {}

  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;
  private final LinkedHashMap<Key, Instant> expiries;

  public CancelRegistry() {
    this(Clock.systemUTC(), DEFAULT_TTL, DEFAULT_MAX_ENTRIES);
  }

  CancelRegistry(Clock clock, Duration ttl, int maxEntries) {
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntries = maxEntries;
    // why: insertion order is expiry order (fixed ttl), so the eldest entry is always the one
    // to drop first, whether because it expired or because the map is full
    this.expiries =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Instant> eldest) {
            return size() > CancelRegistry.this.maxEntries;
          }
        };
  }

  public synchronized void cancel(UUID jobId, int attempt) {
    Instant now = clock.instant();
    purgeExpired(now);
    Key key = new Key(jobId, attempt);
    expiries.remove(key);
    expiries.put(key, now.plus(ttl));
  }

  public synchronized boolean isCancelled(UUID jobId, int attempt) {
    Instant expiry = expiries.get(new Key(jobId, attempt));
    return expiry != null && clock.instant().isBefore(expiry);
  }

  synchronized int size() {
    return expiries.size();
  }

  private void purgeExpired(Instant now) {
    var it = expiries.values().iterator();
    while (it.hasNext() && !now.isBefore(it.next())) {
      it.remove();
    }
  }
}
