package dev.kiln.worker.broker;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Retries opening a replacement for a channel the broker closed, with exponential backoff. The
 * client's automatic recovery only repairs connections: a channel closed by a channel-level error
 * stays closed unless the application opens a new one.
 */
final class ChannelReopener {

  private static final Logger LOG = Logger.getLogger(ChannelReopener.class);

  // why: the same first delay as the connection recovery interval; a channel error that repeats
  // (a queue redeclared with other arguments, say) is then retried ever more slowly
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofSeconds(30);

  private final String threadName;
  private ScheduledExecutorService timer;
  private boolean shut;

  ChannelReopener(String threadName) {
    this.threadName = threadName;
  }

  /**
   * Runs {@code attempt} after the first delay, and again with doubled delays for as long as it
   * answers false. Runs on a thread of its own: attempts may block on broker round trips.
   */
  void schedule(BooleanSupplier attempt) {
    schedule(attempt, FIRST_DELAY.toMillis());
  }

  private synchronized void schedule(BooleanSupplier attempt, long delayMs) {
    if (shut) {
      return;
    }
    if (timer == null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name(threadName).daemon().factory());
    }
    timer.schedule(
        () -> {
          boolean done;
          try {
            done = attempt.getAsBoolean();
          } catch (RuntimeException e) {
            LOG.warnf("reopening a channel failed: %s", e.toString());
            done = false;
          }
          if (!done) {
            schedule(attempt, Math.min(delayMs * 2, MAX_DELAY.toMillis()));
          }
        },
        delayMs,
        TimeUnit.MILLISECONDS);
  }

  synchronized void shutdown() {
    shut = true;
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /**
   * Aborts a channel, ignoring errors. On a recovering connection this also forgets the channel and
   * its consumers, so a later connection recovery does not bring a replaced channel back.
   */
  static void abortQuietly(Channel ch) {
    try {
      ch.abort();
    } catch (IOException | RuntimeException e) {
      LOG.debugf("aborting a closed channel: %s", e.toString());
    }
  }
}
