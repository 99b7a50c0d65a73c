package dev.kiln.gateway.events;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a check on a virtual thread, one run at a time; requests made during a run cause exactly one
 * more run, so the last request is never lost and a burst costs two runs, not hundreds.
 */
final class CoalescingCheck {

  private final Runnable check;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean requested = new AtomicBoolean();

  CoalescingCheck(Runnable check) {
    this.check = check;
  }

  void request() {
    requested.set(true);
    if (running.compareAndSet(false, true)) {
      Thread.startVirtualThread(this::drain);
    }
  }

  private void drain() {
    do {
      try {
        while (requested.getAndSet(false)) {
          check.run();
        }
      } finally {
        running.set(false);
      }
    } while (requested.get() && running.compareAndSet(false, true));
  }
}
