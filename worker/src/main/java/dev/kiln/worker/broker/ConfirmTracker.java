package dev.kiln.worker.broker;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Publisher confirms of one channel as futures, keyed by publish sequence number. */
final class ConfirmTracker {

  private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> outstanding =
      new ConcurrentSkipListMap<>();

  CompletableFuture<Void> register(long seqNo) {
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    outstanding.put(seqNo, confirmed);
    return confirmed;
  }

  /** The publish never reached the channel. */
  void abandon(long seqNo, Exception cause) {
    CompletableFuture<Void> f = outstanding.remove(seqNo);
    if (f != null) {
      f.completeExceptionally(cause);
    }
  }

  /**
   * Applies an ack ({@code failure == null}) or nack; {@code multiple} covers every sequence number
   * up to and including {@code seqNo}.
   */
  void settle(long seqNo, boolean multiple, Exception failure) {
    if (multiple) {
      ConcurrentNavigableMap<Long, CompletableFuture<Void>> settled =
          outstanding.headMap(seqNo, true);
      for (Map.Entry<Long, CompletableFuture<Void>> e : settled.entrySet()) {
        complete(e.getValue(), failure);
      }
      settled.clear();
    } else {
      CompletableFuture<Void> f = outstanding.remove(seqNo);
      if (f != null) {
        complete(f, failure);
      }
    }
  }

  /** Fails everything still outstanding: its confirms can no longer arrive. */
  void failAll(Exception cause) {
    for (Map.Entry<Long, CompletableFuture<Void>> e = outstanding.pollFirstEntry();
        e != null;
        e = outstanding.pollFirstEntry()) {
      e.getValue().completeExceptionally(cause);
    }
  }

  int size() {
    return outstanding.size();
  }

  private static void complete(CompletableFuture<Void> f, Exception failure) {
    if (failure == null) {
      f.complete(null);
    } else {
      f.completeExceptionally(failure);
    }
  }
}
