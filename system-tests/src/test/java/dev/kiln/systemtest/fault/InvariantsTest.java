package dev.kiln.systemtest.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.systemtest.fault.Db.DeadLetterRow;
import dev.kiln.systemtest.fault.Db.EventRow;
import dev.kiln.systemtest.fault.Db.JobRow;
import dev.kiln.systemtest.fault.RunReport.Check;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The invariant checks themselves, on made-up histories: a suite that never fails proves nothing
 * unless its checks are known to fire.
 */
class InvariantsTest {

  private final RunReport report = new RunReport("test");
  private final Invariants invariants =
      new Invariants(
          new GoodClient(List.of(URI.create("http://127.0.0.1:1"))), p -> List.of(), report);
  private final UUID run1 = UUID.randomUUID();
  private final UUID run2 = UUID.randomUUID();
  private long nextId = 1;

  private Tracked job(PlannedJob.Kind kind) {
    PlannedJob plan =
        new PlannedJob(
            0,
            kind,
            0,
            2,
            10,
            0,
            kind == PlannedJob.Kind.SUCCEED ? 0 : 1,
            kind == PlannedJob.Kind.SUCCEED ? null : "CODE",
            kind == PlannedJob.Kind.RETRY_EXHAUSTED ? 2 : 0,
            500,
            false,
            0,
            "key");
    Tracked t = new Tracked(plan);
    t.id = UUID.randomUUID();
    t.submitStart = Instant.now();
    return t;
  }

  private EventRow event(int attempt, UUID run, long seq, String type) {
    return new EventRow(nextId++, attempt, seq, type, run, "w", "{}", Instant.now());
  }

  private List<EventRow> succeeded(UUID run) {
    return new ArrayList<>(
        List.of(
            event(1, run, 1, "job.started"),
            event(1, run, 2, "stage.started"),
            event(1, run, 3, "stage.completed"),
            event(1, run, 4, "job.succeeded")));
  }

  private void check(Tracked job, JobRow row, List<EventRow> events, List<DeadLetterRow> dls) {
    Map<UUID, JobRow> rows = row == null ? Map.of() : Map.of(job.id, row);
    Map<UUID, List<EventRow>> byJob = Map.of(job.id, events);
    Map<UUID, List<DeadLetterRow>> dead = new HashMap<>();
    if (!dls.isEmpty()) {
      dead.put(job.id, dls);
    }
    invariants.terminalStates(List.of(job), rows, byJob, dead);
    invariants.eventOrder(List.of(job), rows, byJob);
    invariants.sse(List.of(job), rows, byJob);
  }

  private JobRow row(Tracked job, String status, String code) {
    return new JobRow(job.id, status, 1, code, null);
  }

  @Test
  void aCleanHistoryBreaksNothing() {
    Tracked job = job(PlannedJob.Kind.SUCCEED);
    List<EventRow> events = succeeded(run1);
    // a resumed run numbers from 1 again
    events.addAll(0, List.of(event(1, run2, 1, "job.started"), event(1, run2, 2, "stage.started")));
    check(job, row(job, "succeeded", null), events, List.of());
    assertThat(report.ok()).as(report.details()).isTrue();
  }

  @Test
  void aGapOrAnEventAfterTheEndIsAnOrderViolation() {
    Tracked job = job(PlannedJob.Kind.SUCCEED);
    List<EventRow> events = succeeded(run1);
    events.remove(1);
    check(job, row(job, "succeeded", null), events, List.of());
    assertThat(report.count(Check.EVENT_ORDER)).isEqualTo(1);

    Tracked late = job(PlannedJob.Kind.SUCCEED);
    List<EventRow> after = succeeded(run1);
    after.add(event(1, run2, 1, "job.started"));
    check(late, row(late, "succeeded", null), after, List.of());
    assertThat(report.count(Check.EVENT_ORDER)).isEqualTo(2);
  }

  @Test
  void twoEndsAreDuplicates() {
    Tracked job = job(PlannedJob.Kind.SUCCEED);
    List<EventRow> events = succeeded(run1);
    events.add(event(1, run2, 1, "job.succeeded"));
    check(job, row(job, "succeeded", null), events, List.of());
    assertThat(report.duplicated()).isEqualTo(1);

    Tracked retried = job(PlannedJob.Kind.SUCCEED);
    List<EventRow> twice = succeeded(run1);
    twice.add(3, event(1, run1, 4, "job.retrying"));
    check(retried, row(retried, "succeeded", null), twice, List.of());
    assertThat(report.duplicated()).isEqualTo(2);
  }

  @Test
  void lostAndWrongEndsAreCounted() {
    Tracked lost = job(PlannedJob.Kind.SUCCEED);
    check(lost, row(lost, "running", null), succeeded(run1).subList(0, 3), List.of());
    assertThat(report.lost()).isEqualTo(1);

    Tracked failed = job(PlannedJob.Kind.SUCCEED);
    List<EventRow> events = succeeded(run1);
    events.set(3, event(1, run1, 4, "job.failed"));
    check(failed, row(failed, "failed", "WORKER_LOST"), events, List.of());
    assertThat(report.wrong()).isEqualTo(1);

    Tracked exhausted = job(PlannedJob.Kind.RETRY_EXHAUSTED);
    List<EventRow> noLetter = succeeded(run1);
    noLetter.set(3, event(1, run1, 4, "job.failed"));
    check(exhausted, row(exhausted, "failed", "CODE"), noLetter, List.of());
    assertThat(report.wrong()).as("a missing dead letter").isEqualTo(2);

    Tracked innocent = job(PlannedJob.Kind.SUCCEED);
    check(
        innocent,
        row(innocent, "succeeded", null),
        succeeded(run1),
        List.of(new DeadLetterRow(1, "delivery_limit", 6)));
    assertThat(report.wrong()).as("an innocent dead-lettered").isEqualTo(3);
  }

  @Test
  void aWatcherMustSeeEveryStoredEventOnceInOrder() {
    Tracked job = job(PlannedJob.Kind.SUCCEED);
    List<EventRow> events = succeeded(run1);
    job.watcher =
        new SseWatcher(
            job.id, List.of(URI.create("http://127.0.0.1:1")), null, 0, 1, Duration.ZERO);
    events.forEach(e -> job.watcher.received(e.id(), e.type()));
    check(job, row(job, "succeeded", null), events, List.of());
    assertThat(report.ok()).as(report.details()).isTrue();

    Tracked twice = job(PlannedJob.Kind.SUCCEED);
    List<EventRow> history = succeeded(run1);
    twice.watcher =
        new SseWatcher(
            twice.id, List.of(URI.create("http://127.0.0.1:1")), null, 0, 1, Duration.ZERO);
    history.forEach(e -> twice.watcher.received(e.id(), e.type()));
    twice.watcher.received(history.get(1).id(), history.get(1).type());
    check(twice, row(twice, "succeeded", null), history, List.of());
    assertThat(report.count(Check.SSE)).isEqualTo(1);

    Tracked gap = job(PlannedJob.Kind.SUCCEED);
    List<EventRow> stored = succeeded(run1);
    gap.watcher =
        new SseWatcher(
            gap.id, List.of(URI.create("http://127.0.0.1:1")), null, 0, 1, Duration.ZERO);
    stored.stream().skip(1).forEach(e -> gap.watcher.received(e.id(), e.type()));
    check(gap, row(gap, "succeeded", null), stored, List.of());
    assertThat(report.count(Check.SSE)).isEqualTo(2);
  }
}
