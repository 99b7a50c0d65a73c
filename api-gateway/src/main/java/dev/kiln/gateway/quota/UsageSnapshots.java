package dev.kiln.gateway.quota;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent counts of tenants' active jobs, each with what this replica let in since it was taken. A
 * snapshot only ever grows until it expires: jobs that finish are not subtracted, so it errs on the
 * side of the cap.
 */
final class UsageSnapshots {

  private record Snapshot(int cap, long active, long takenAtNanos) {}

  private final long ttlNanos;
  private final Map<String, Snapshot> byTenant = new ConcurrentHashMap<>();

  UsageSnapshots(Duration ttl) {
    this.ttlNanos = ttl.toNanos();
  }

  /**
   * Lets {@code adding} jobs in on the tenant's snapshot when it is fresh and stays more than
   * {@code margin} below the cap after adding them, and counts them into it.
   *
   * @return false when the caller must count
   */
  boolean admit(String tenantId, int adding, int margin, long nowNanos) {
    if (ttlNanos <= 0) {
      return false;
    }
    boolean[] admitted = {false};
    byTenant.computeIfPresent(
        tenantId,
        (t, s) -> {
          if (nowNanos - s.takenAtNanos() > ttlNanos) {
            return null;
          }
          if (s.active() + adding + margin > s.cap()) {
            return s;
          }
          admitted[0] = true;
          return new Snapshot(s.cap(), s.active() + adding, s.takenAtNanos());
        });
    return admitted[0];
  }

  /** A count just taken, including the jobs being let in with it. */
  void record(String tenantId, int cap, long active, long nowNanos) {
    if (ttlNanos > 0) {
      byTenant.put(tenantId, new Snapshot(cap, active, nowNanos));
    }
  }
}
