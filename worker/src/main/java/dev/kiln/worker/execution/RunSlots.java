package dev.kiln.worker.execution;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The worker's run slots: a job takes one, and a job suspected of killing workers takes all of
 * them, so that if it crashes the process again it takes no other job down with it (each crash
 * returns every message the worker held, and the broker counts that against their delivery limit).
 */
final class RunSlots {

  private static final long POLL_MS = 200;

  /** Slots held by one run; closing gives them back. */
  final class Lease implements AutoCloseable {
    private final int held;
    private final boolean alone;
    private final java.util.concurrent.atomic.AtomicBoolean released =
        new java.util.concurrent.atomic.AtomicBoolean();

    private Lease(int held, boolean alone) {
      this.held = held;
      this.alone = alone;
    }

    /** Gives the slots back; closing again does nothing. */
    @Override
    public void close() {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      slots.release(held);
      if (alone) {
        isolation.release();
      }
    }
  }

  private final int size;
  private final Semaphore slots;
  // why: two suspects each gathering slots one by one could each end up holding half of them and
  // wait forever; one gathers at a time, and keeps the permit until its run ends
  // (a semaphore, not a lock: the lease may be closed by another thread than took it)
  private final Semaphore isolation = new Semaphore(1);
  private final BooleanSupplier stopping;

  /**
   * @param stopping true once the worker takes no more jobs; waiting acquisitions then give up
   */
  RunSlots(int size, BooleanSupplier stopping) {
    this.size = size;
    this.slots = new Semaphore(size);
    this.stopping = stopping;
  }

  int available() {
    return slots.availablePermits();
  }

  /**
   * Waits for a slot, or for every slot when {@code alone}.
   *
   * @return the lease, or null when the worker started stopping first (nothing is held then)
   */
  Lease acquire(boolean alone) throws InterruptedException {
    if (!alone) {
      while (!stopping.getAsBoolean()) {
        if (slots.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
          if (!stopping.getAsBoolean()) {
            return new Lease(1, false);
          }
          slots.release();
        }
      }
      return null;
    }
    while (!isolation.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
      if (stopping.getAsBoolean()) {
        return null;
      }
    }
    int held = 0;
    try {
      // why one at a time: slots freed by finishing jobs are kept, so the suspect cannot be
      // starved by jobs that keep arriving
      while (held < size) {
        if (stopping.getAsBoolean()) {
          break;
        }
        if (slots.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
          held++;
        }
      }
    } catch (InterruptedException e) {
      slots.release(held);
      isolation.release();
      throw e;
    }
    if (held < size) {
      slots.release(held);
      isolation.release();
      return null;
    }
    return new Lease(held, true);
  }
}
