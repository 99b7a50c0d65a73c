package dev.kiln.worker.broker;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Publisher confirms of one channel as futures, keyed by publish sequence number.
 *
 * <p>why returns count as failures: the broker confirms a message that no queue took (published
 * mandatory, it is returned first, on the same channel), so a confirm alone does not prove the
 * message is stored anywhere.
 */
final class ConfirmTracker {

  private record Pending(CompletableFuture<Void> future, String messageId) {}

  private final ConcurrentSkipListMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
  private final Set<String> returned = ConcurrentHashMap.newKeySet();

  CompletableFuture<Void> register(long seqNo) {
    return register(seqNo, null);
  }

  /**
   * @param messageId identifies a mandatory publish in {@link #returned}; null when the message may
   *     go unrouted
   */
  CompletableFuture<Void> register(long seqNo, String messageId) {
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    outstanding.put(seqNo, new Pending(confirmed, messageId));
    return confirmed;
  }

  /** The broker returned a mandatory message no queue took; its confirm follows. */
  void returned(String messageId) {
    if (messageId != null) {
      returned.add(messageId);
    }
  }

  /** The publish never reached the channel. */
  void abandon(long seqNo, Exception cause) {
    Pending p = outstanding.remove(seqNo);
    if (p != null) {
      p.future().completeExceptionally(cause);
    }
  }

  /**
   * Applies an ack ({@code failure == null}) or nack; {@code multiple} covers every sequence number
   * up to and including {@code seqNo}.
   */
  void settle(long seqNo, boolean multiple, Exception failure) {
    if (multiple) {
      ConcurrentNavigableMap<Long, Pending> settled = outstanding.headMap(seqNo, true);
      for (Map.Entry<Long, Pending> e : settled.entrySet()) {
        complete(e.getValue(), failure);
      }
      settled.clear();
    } else {
      Pending p = outstanding.remove(seqNo);
      if (p != null) {
        complete(p, failure);
      }
    }
  }

  /** Fails everything still outstanding: its confirms can no longer arrive. */
  void failAll(Exception cause) {
    for (Map.Entry<Long, Pending> e = outstanding.pollFirstEntry();
        e != null;
        e = outstanding.pollFirstEntry()) {
      e.getValue().future().completeExceptionally(cause);
    }
    returned.clear();
  }

  int size() {
    return outstanding.size();
  }

  private void complete(Pending p, Exception failure) {
    if (failure == null && p.messageId() != null && returned.remove(p.messageId())) {
      failure = new IOException("no queue took message " + p.messageId());
    }
    if (failure == null) {
      p.future().complete(null);
    } else {
      p.future().completeExceptionally(failure);
    }
  }
}
