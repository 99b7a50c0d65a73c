package dev.kiln.systemtest.fault;

import dev.kiln.systemtest.fault.Db.EventRow;
import dev.kiln.systemtest.fault.RunReport.Check;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The faults of the suite, in the order it runs them. */
final class Faults {

  static final Duration READY = Duration.ofSeconds(120);

  /** Long jobs submitted with the poison message, so some share the workers it halts. */
  static final int LONG_INNOCENTS = 8;

  private Faults() {}

  static Fault none() {
    return new Fault() {
      public String name() {
        return "baseline (no fault)";
      }

      public String description() {
        return "Nothing is injected: the same load, for comparison.";
      }

      public void inject(Context ctx) {}
    };
  }

  /** SIGKILL or SIGTERM of the worker running the most jobs; the supervisor starts a new one. */
  static Fault worker(boolean kill) {
    return new Fault() {
      private String victimId;
      private List<Db.Running> hit = List.of();

      public String name() {
        return kill ? "worker SIGKILL" : "worker SIGTERM";
      }

      public String description() {
        return kill
            ? "SIGKILL of the worker that runs the most jobs, while they are in the middle of their"
                + " stages; a new worker process starts 1 s after it died."
            : "SIGTERM of the worker that runs the most jobs: it stops taking jobs, lets running ones"
                + " finish for its shutdown grace ("
                + FaultCluster.WORKER_SHUTDOWN_GRACE.toSeconds()
                + " s) and returns the rest to the queue; a new worker starts 1 s after it exited.";
      }

      public void inject(Context ctx) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        AppProcess victim = null;
        while (victim == null && System.nanoTime() < deadline) {
          Map<String, List<Db.Running>> bySource =
              ctx.db().running(ctx.acceptedIds()).stream()
                  .filter(r -> r.currentStage() != null && r.source() != null)
                  .collect(Collectors.groupingBy(Db.Running::source));
          Optional<Map.Entry<String, List<Db.Running>>> busiest =
              bySource.entrySet().stream()
                  .filter(
                      e ->
                          ctx.cluster().workerById(e.getKey()).map(AppProcess::alive).orElse(false))
                  .max(Comparator.comparingInt(e -> e.getValue().size()));
          if (busiest.isPresent()) {
            victimId = busiest.get().getKey();
            hit = busiest.get().getValue();
            victim = ctx.cluster().workerById(victimId).orElseThrow();
          } else {
            Os.sleep(Duration.ofMillis(200));
          }
        }
        if (victim == null) {
          ctx.report()
              .add(Check.RESUME, "no worker had a job in the middle of its stages to " + name());
          return;
        }
        int incarnation = victim.incarnation();
        ctx.report()
            .notes
            .add(
                name()
                    + " of "
                    + victimId
                    + " while it ran "
                    + hit.size()
                    + " jobs in a stage: "
                    + hit.stream().map(r -> r.id() + "@" + r.currentStage()).toList());
        if (kill) {
          victim.sigkill();
        } else {
          victim.sigterm();
        }
        gone(ctx, victim, incarnation);
      }

      public void verify(Context ctx, Map<UUID, List<EventRow>> events) {
        if (!kill) {
          return;
        }
        int resumed = 0;
        for (Db.Running r : hit) {
          List<EventRow> history = events.getOrDefault(r.id(), List.of());
          List<EventRow> killedRun = history.stream().filter(e -> r.run().equals(e.run())).toList();
          if (killedRun.isEmpty()) {
            continue;
          }
          long lastOfKilled = killedRun.getLast().id();
          boolean completedAStage =
              killedRun.stream().anyMatch(e -> e.type().equals("stage.completed"));
          Optional<EventRow> next =
              history.stream()
                  .filter(e -> e.id() > lastOfKilled && e.type().equals("job.started"))
                  .filter(e -> e.attempt() == killedRun.getFirst().attempt())
                  .findFirst();
          if (next.isEmpty()) {
            continue;
          }
          boolean resumes = next.get().resumed();
          if (resumes) {
            resumed++;
          } else if (completedAStage) {
            ctx.report()
                .add(
                    Check.RESUME,
                    "job "
                        + r.id()
                        + ": the killed run completed a stage, but the next run started over: "
                        + Invariants.history(history));
          }
        }
        ctx.report()
            .notes
            .add(
                resumed
                    + " of the "
                    + hit.size()
                    + " jobs on the killed worker resumed after a completed stage");
      }
    };
  }

  /** SIGKILL of the first gateway (the storing consumer, having started first). */
  static Fault gatewayKill() {
    return new Fault() {
      public String name() {
        return "gateway SIGKILL";
      }

      public String description() {
        return "SIGKILL of the gateway whose consumer of kiln.events.store is the active one (the"
            + " replica that stores events); a new one starts 1 s after it died.";
      }

      private AppProcess victim;

      public void prepare(Context ctx) {
        victim = storingGateway(ctx);
      }

      public void inject(Context ctx) {
        int incarnation = victim.incarnation();
        victim.sigkill();
        gone(ctx, victim, incarnation);
      }
    };
  }

  /**
   * The gateway holding the active consumer of the single-active-consumer queue {@code
   * kiln.events.store}, found through the broker's channel list and the owner of the connection's
   * local port; the first gateway when that cannot be told.
   */
  private static AppProcess storingGateway(Fault.Context ctx) {
    List<AppProcess> gateways = ctx.cluster().gateways();
    try {
      for (int port : ctx.services().broker.activeConsumerPorts("kiln.events.store")) {
        long pid = Os.pidOfLocalPort(port);
        Optional<AppProcess> owner =
            gateways.stream()
                .filter(g -> g.process() != null && g.process().pid() == pid)
                .findFirst();
        if (owner.isPresent()) {
          ctx.report().notes.add(owner.get().name() + " held the active event-store consumer");
          return owner.get();
        }
      }
    } catch (RuntimeException e) {
      ctx.report().notes.add("could not tell which gateway stores events: " + e.getMessage());
    }
    ctx.report()
        .notes
        .add("could not tell which gateway stores events; killing " + gateways.getFirst().name());
    return gateways.getFirst();
  }

  /**
   * Returns once the process has exited: from then on the platform must carry on with the other
   * replicas, so that is where the fault ends and recovery is timed from. When the supervisor's
   * replacement is ready is noted in the background.
   */
  private static void gone(Fault.Context ctx, AppProcess victim, int incarnation) {
    long killed = System.nanoTime();
    Process process = victim.process();
    try {
      if (!process.waitFor(FaultCluster.WORKER_SHUTDOWN_GRACE.toSeconds() + 60, TimeUnit.SECONDS)) {
        ctx.report().add(Check.CLIENT, victim + " did not exit within a minute of its signal");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long exited = System.nanoTime();
    ctx.report()
        .notes
        .add(victim.name() + " exited " + millis(exited - killed) + " after the signal");
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                victim.awaitReady(incarnation + 1, READY);
                ctx.report()
                    .notes
                    .add(
                        "its replacement was ready "
                            + millis(System.nanoTime() - exited)
                            + " after it exited");
              } catch (RuntimeException e) {
                ctx.report()
                    .add(
                        Check.CLIENT,
                        "no replacement for " + victim.name() + ": " + e.getMessage());
              }
            });
  }

  static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  /** Stops a service, keeps it down for {@code outage}, starts it again on the same data. */
  static Fault restart(String name, String how, Duration outage, ServicePicker service) {
    return new Fault() {
      public String name() {
        return name;
      }

      public String description() {
        return how
            + ", kept down for "
            + outage.toSeconds()
            + " s, then started again on the same data.";
      }

      public void inject(Context ctx) {
        PrivateService target = service.pick(ctx.services());
        long t0 = System.nanoTime();
        target.stop();
        long stopped = System.nanoTime();
        Os.sleep(outage);
        long starting = System.nanoTime();
        target.start();
        long back = System.nanoTime();
        ctx.report()
            .notes
            .add(
                target.name()
                    + " stop took "
                    + millis(stopped - t0)
                    + ", down "
                    + millis(starting - stopped)
                    + ", start took "
                    + millis(back - starting)
                    + " until it accepted connections");
      }
    };
  }

  interface ServicePicker {
    PrivateService pick(PrivateServices services);
  }

  /** A job that halts every worker that runs it, among innocent ones. */
  static Fault poison() {
    return new Fault() {
      public String name() {
        return "poison message";
      }

      public String description() {
        return "One job with crashWorkerAtStage halts the JVM of every worker that takes it (exit"
            + " 137, like SIGKILL) until it is dead-lettered, by a worker that recognises it"
            + " (POISON_MESSAGE) or by RabbitMQ's delivery limit (DELIVERY_LIMIT_EXCEEDED); crashed"
            + " workers restart 1 s later. "
            + LONG_INNOCENTS
            + " innocent 9 s jobs are submitted with it, so some innocents share the workers it"
            + " halts.";
      }

      public void inject(Context ctx) {
        java.util.Random random = new java.util.Random(ctx.jobs().size());
        for (int i = 0; i < LONG_INNOCENTS; i++) {
          ctx.submitExtra().apply(PlannedJob.longInnocent(random, i, "poison"));
        }
        Tracked poison = ctx.submitExtra().apply(PlannedJob.poison(random, "poison"));
        if (!poison.accepted()) {
          return;
        }
        long submitted = System.nanoTime();
        long deadline = submitted + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < deadline) {
          Db.JobRow row = ctx.db().jobs(List.of(poison.id)).get(poison.id);
          if (row != null && row.terminal()) {
            break;
          }
          Os.sleep(Duration.ofMillis(500));
        }
        ctx.report()
            .notes
            .add(
                "poison job "
                    + poison.id
                    + " ended "
                    + millis(System.nanoTime() - submitted)
                    + " after it was accepted");
      }
    };
  }
}
