package dev.kiln.gateway.events;

import static dev.kiln.gateway.events.SseSubscriptionTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which clients the hub offers an event to. */
class SseHubTest {

  private final SseHub hub = new SseHub();

  private record Client(FakeWire wire, SseSubscription subscription, Runnable unsubscribe) {}

  private Client allJobs(String tenant) {
    FakeWire wire = new FakeWire();
    SseSubscription s = new SseSubscription(wire, e -> true, (e, sub) -> false, 0, () -> {});
    s.open();
    Runnable unsubscribe = hub.subscribeAll(tenant, s);
    s.goLive();
    return new Client(wire, s, unsubscribe);
  }

  @Test
  void theAllJobsStreamOfATenantGetsOnlyThatTenantsEventsAndAnAdminsGetsEvery() {
    Client a = allJobs("tenant-a");
    Client b = allJobs("tenant-b");
    Client admin = allJobs(null);

    hub.dispatch(List.of(event(1, "job.started", "tenant-a"), event(2, "job.started", "tenant-b")));

    assertThat(a.wire().ids()).containsExactly(1L);
    assertThat(b.wire().ids()).containsExactly(2L);
    assertThat(admin.wire().ids()).containsExactly(1L, 2L);
    assertThat(hub.clients()).isEqualTo(3);
  }

  @Test
  void anUnsubscribedClientGetsNothingMoreAndItsTenantLeavesTheIndex() {
    Client a = allJobs("tenant-a");
    a.unsubscribe().run();
    a.unsubscribe().run();

    hub.dispatch(List.of(event(1, "job.started", "tenant-a")));

    assertThat(a.wire().ids()).isEmpty();
    assertThat(hub.clients()).isZero();
    Client again = allJobs("tenant-a");
    hub.dispatch(List.of(event(2, "job.started", "tenant-a")));
    assertThat(again.wire().ids()).containsExactly(2L);
  }

  @Test
  void clientsOfAnEventLoopGetTheirFramesFromATaskOnThatLoopInRelayOrder() {
    List<Runnable> tasks = new java.util.ArrayList<>();
    FakeWire wire = new FakeWire();
    wire.loop = tasks::add;
    SseSubscription s = new SseSubscription(wire, e -> true, (e, sub) -> false, 0, () -> {});
    s.open();
    hub.subscribeAll("tenant-a", s);
    s.goLive();
    Client elsewhere = allJobs("tenant-a");

    hub.dispatch(List.of(event(1, "job.started", "tenant-a")));
    hub.dispatch(
        List.of(event(2, "stage.started", "tenant-a"), event(3, "job.succeeded", "tenant-a")));

    assertThat(wire.ids()).isEmpty();
    assertThat(elsewhere.wire().ids()).containsExactly(1L, 2L, 3L);
    assertThat(tasks).hasSize(2);
    tasks.forEach(Runnable::run);
    assertThat(wire.ids()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void everyClientGetsTheSameBytesOfAnEvent() {
    Client a = allJobs("tenant-a");
    Client admin = allJobs(null);

    hub.dispatch(List.of(event(1, "job.started", "tenant-a")));

    assertThat(a.wire().frames.getFirst()).isSameAs(admin.wire().frames.getFirst());
  }
}
