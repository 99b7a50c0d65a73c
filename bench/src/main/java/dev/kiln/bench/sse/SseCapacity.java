package dev.kiln.bench.sse;

import dev.kiln.bench.BenchTarget;
import dev.kiln.bench.Measurement;
import java.util.ArrayList;
import java.util.List;

/**
 * How many concurrent SSE clients one gateway holds, and the heap each costs.
 *
 * <p>Method: clients of the bench's own tenant open {@code GET /api/v1/events?type=synthetic} in
 * steps ({@code --steps}, up to 20,000), at most 256 waiting for their stream at a time, from local
 * addresses 127.0.0.2.. ({@code --sources}, 10) so that no source address runs out of ports. A
 * client counts as held when its answer was 200 and its first frame (the {@code :open} comment)
 * arrived, and the stream is still open. Stepping stops when more than 1% of a step fails. The
 * gateway's live heap is read with {@code jcmd GC.class_histogram} (a full GC, then every live
 * object) before the first client and after the last; heap per client is the difference over the
 * clients held, and the classes that grew most are printed. Last, a few no-op jobs are submitted
 * and the bench checks that their events reach every held client. The gateway's pid comes from
 * {@code <stateDir>/run/gateway.pid}. Both this JVM and the gateway need a file-descriptor limit
 * above the client count ({@code ./kiln} raises both).
 *
 * <p>Usage: {@code SseCapacity [--gateway URL] [--state-dir DIR] [--clients N] [--steps
 * 1000,5000,...]}
 */
public final class SseCapacity {

  private SseCapacity() {}

  public static void main(String[] args) throws Exception {
    run(Options.target(args), args).forEach(System.out::println);
  }

  public static List<Measurement> run(BenchTarget target, String[] args) throws Exception {
    int clients = Options.integer(args, "clients", 20_000);
    String steps = Options.get(args, "steps", "1000,5000,10000,15000,20000");
    int sources = Options.integer(args, "sources", 10);
    int jobs = Options.integer(args, "jobs", 3);
    long pid = GatewayHeap.pid(target);
    long headroom = Math.min(FdHeadroom.of(Long.toString(pid)), FdHeadroom.of("self"));
    String capped = "";
    if (clients > headroom) {
      capped =
          String.format(
              "; capped at %,d clients by the file-descriptor limit (gateway or bench; raise"
                  + " ulimit -n)",
              headroom);
      System.err.println("asked for " + clients + " clients" + capped);
      clients = (int) headroom;
    }
    try (BenchApi api = new BenchApi(target);
        SseClients sse =
            new SseClients(
                api.address(), "/api/v1/events?type=synthetic", api.key, sources, 2, null)) {
      GatewayHeap.Histogram before = GatewayHeap.histogram(pid);
      for (int step : stepsUpTo(steps, clients)) {
        int failedBefore = sse.failed();
        long t0 = System.nanoTime();
        sse.openUpTo(step, 256, 120_000);
        System.err.printf(
            "step %,d: %,d held, %,d failed (%s), %.1f s%n",
            step, sse.holding(), sse.failed(), sse.failures(), (System.nanoTime() - t0) / 1e9);
        if (sse.failed() - failedBefore > step / 100) {
          break;
        }
      }
      Thread.sleep(2000);
      int held = sse.holding();
      GatewayHeap.Histogram after = GatewayHeap.histogram(pid);
      double perClientKb = (after.totalBytes() - before.totalBytes()) / 1024.0 / Math.max(1, held);
      System.err.printf(
          "gateway live heap %,d -> %,d bytes: %.1f KB per client; grew most:%n%s",
          before.totalBytes(),
          after.totalBytes(),
          perClientKb,
          GatewayHeap.topGrowth(before, after, held, 15));
      int reached = eventsReach(api, sse, jobs);
      String how =
          String.format(
              "all-jobs stream clients from %d loopback addresses, in steps %s; live heap from"
                  + " jcmd GC.class_histogram before and after; %,d failed to open %s%s",
              sources, steps, sse.failed(), sse.failures().isEmpty() ? "" : sse.failures(), capped);
      List<Measurement> out = new ArrayList<>();
      out.add(Measurement.atLeast("SSE clients held by one gateway", held, "clients", 20_000, how));
      out.add(
          Measurement.atMost(
              "SSE gateway heap per client", Math.round(perClientKb * 10) / 10.0, "KB", 64, how));
      out.add(
          Measurement.info(
              "SSE clients reached by new events",
              reached,
              "clients",
              "of "
                  + held
                  + " held; "
                  + jobs
                  + " no-op jobs submitted after the last step, each client must get all "
                  + 2 * jobs
                  + " events within 30 s"));
      return out;
    }
  }

  private static List<Integer> stepsUpTo(String steps, int clients) {
    List<Integer> out = new ArrayList<>();
    for (String s : steps.split(",")) {
      int step = Integer.parseInt(s.trim());
      if (step < clients) {
        out.add(step);
      }
    }
    out.add(clients);
    return out;
  }

  /** Submits jobs and counts the held clients that received every one of their events. */
  private static int eventsReach(BenchApi api, SseClients sse, int jobs) throws Exception {
    List<SseConnection> held = sse.conns().stream().filter(c -> c.open && !c.ended).toList();
    int[] before = new int[held.size()];
    for (int i = 0; i < before.length; i++) {
      before[i] = held.get(i).events;
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < jobs; i++) {
      api.submit();
    }
    // why: job.started and job.succeeded, the two events of a no-op job
    int wanted = 2 * jobs;
    long deadline = System.currentTimeMillis() + 30_000;
    int reached = 0;
    while (System.currentTimeMillis() < deadline) {
      reached = 0;
      for (int i = 0; i < before.length; i++) {
        if (held.get(i).events - before[i] >= wanted) {
          reached++;
        }
      }
      if (reached == held.size()) {
        break;
      }
      Thread.sleep(100);
    }
    System.err.printf(
        "events of %d jobs reached %,d of %,d held clients in %.1f s%n",
        jobs, reached, held.size(), (System.nanoTime() - t0) / 1e9);
    return reached;
  }
}
