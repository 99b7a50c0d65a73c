package dev.kiln.gateway.webhooks;

import dev.kiln.gateway.outbound.UrlGuards;
import dev.kiln.gateway.webhooks.WebhookDeliveries.Attempt;
import dev.kiln.gateway.webhooks.WebhookDeliveries.Claimed;
import dev.kiln.gateway.webhooks.WebhookDeliveries.Status;
import dev.kiln.outbound.FetchException;
import dev.kiln.outbound.GuardedPoster;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Sends due webhook deliveries. Every replica polls; {@link WebhookDeliveries#claim} hands each due
 * delivery to one of them. Each attempt is a signed POST through the SSRF guard (no redirects,
 * timeouts, a capped answer) on a virtual thread, at most {@code concurrency} at a time per
 * replica, and is recorded with its time, status or error and duration. Outcomes:
 *
 * <ul>
 *   <li>2xx: delivered;
 *   <li>410 Gone: given up (the receiver asks to stop);
 *   <li>the guard refuses the URL or what it resolves to: given up, nothing was sent (waiting does
 *       not make an internal address public);
 *   <li>anything else (3xx, other statuses, timeouts, connection failures): the next attempt after
 *       the configured delay, unless that falls past the window since the first attempt.
 * </ul>
 */
@ApplicationScoped
public class WebhookDispatcher {

  private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
  private static final String USER_AGENT = "Kiln-Webhooks";
  static final String ATTEMPTS = "kiln_webhook_attempts_total";

  @Inject WebhookDeliveries deliveries;
  @Inject WebhookTargets targets;
  @Inject WebhookConfig config;
  @Inject UrlGuards guards;
  @Inject MeterRegistry registry;

  private volatile GuardedPoster poster;
  private volatile boolean stopping;
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

  private GuardedPoster poster() {
    if (poster == null) {
      poster =
          new GuardedPoster(
              guards.webhooks(),
              config.connectTimeout(),
              config.readTimeout(),
              config.maxResponseBytes(),
              USER_AGENT);
    }
    return poster;
  }

  // why: a worker thread, never the event loop (the calls block); SKIP so a slow round is not
  // overlapped by the next one, which keeps the concurrency bound per replica
  @Scheduled(
      every = "${kiln.webhooks.poll-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void poll() {
    int limit = config.concurrency();
    try {
      List<Claimed> claimed;
      do {
        Instant now = Instant.now();
        claimed = deliveries.claim(limit, now, now.plus(lease()));
        var running = claimed.stream().map(c -> senders.submit(() -> attempt(c))).toList();
        for (var f : running) {
          f.get();
        }
      } while (claimed.size() == limit && !stopping);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!stopping) {
        LOG.warnf("webhook round failed, retrying at the next poll: %s", e.toString());
      }
    }
  }

  /** why: longer than any attempt can take, so a claim only expires when its replica died. */
  private Duration lease() {
    return config.connectTimeout().plus(config.readTimeout().multipliedBy(3)).plusSeconds(30);
  }

  private Void attempt(Claimed d) throws Exception {
    Instant at = Instant.now();
    long start = System.nanoTime();
    Integer status = null;
    String error = null;
    boolean forbidden = false;
    try {
      byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
      String id = "msg_" + d.id();
      long timestamp = at.getEpochSecond();
      String signature = WebhookSigner.sign(targets.signingKey(d.jobId()), id, timestamp, body);
      status =
          poster()
              .post(
                  d.url(),
                  Map.of(
                      "Content-Type",
                      "application/json",
                      "webhook-id",
                      id,
                      "webhook-timestamp",
                      Long.toString(timestamp),
                      "webhook-signature",
                      signature),
                  body);
    } catch (FetchException e) {
      // why: the message names the host only, never an address or the guard's range
      error = e.getMessage();
      forbidden = e.kind() == FetchException.Kind.FORBIDDEN;
    } catch (RuntimeException e) {
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      LOG.warnf("webhook %s of job %s not sent: %s", d.id(), d.jobId(), e.toString());
    }
    long durationMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
    Instant first = d.firstAttemptAt() != null ? d.firstAttemptAt() : at;
    Status outcome;
    Instant next = null;
    if (status != null && status >= 200 && status <= 299) {
      outcome = Status.DELIVERED;
    } else if (forbidden || (status != null && status == 410)) {
      outcome = Status.GIVEN_UP;
    } else {
      next = Instant.now().plus(delay(d.attempts() + 1));
      outcome = next.isAfter(first.plus(config.giveUpAfter())) ? Status.GIVEN_UP : Status.FAILED;
      if (outcome == Status.GIVEN_UP) {
        next = null;
      }
    }
    deliveries.record(d.id(), new Attempt(at, status, error, durationMs), outcome, next);
    // why: outcome only, never the URL or host, so the label set stays small
    registry.counter(ATTEMPTS, "outcome", outcome.wire()).increment();
    return null;
  }

  /** The wait after the n-th failed attempt, with up to 10 % jitter. */
  private Duration delay(int failures) {
    List<Duration> delays = config.retryDelays();
    Duration base = delays.get(Math.min(failures, delays.size()) - 1);
    long jitter = ThreadLocalRandom.current().nextLong(base.toMillis() / 10 + 1);
    return base.plusMillis(jitter);
  }

  /** why: counters start at 0, so the first given-up delivery shows in rate() and increase(). */
  void registerAtStart(@Observes StartupEvent event) {
    for (Status outcome : new Status[] {Status.DELIVERED, Status.FAILED, Status.GIVEN_UP}) {
      registry.counter(ATTEMPTS, "outcome", outcome.wire());
    }
  }

  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    senders.shutdown();
  }
}
