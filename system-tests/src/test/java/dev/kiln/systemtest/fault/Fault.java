package dev.kiln.systemtest.fault;

import dev.kiln.systemtest.fault.Db.EventRow;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** One fault the suite injects under load. A new instance serves each run. */
interface Fault {

  /** Its name in the report and the docs table. */
  String name();

  /** What it does, in a sentence, for docs/reliability.md. */
  String description();

  /** Looks up what the fault needs before the load starts (so the injection itself is quick). */
  default void prepare(Context ctx) {}

  /**
   * Injects the fault and returns when it is over: the service accepts connections again, or the
   * replacement process is ready.
   */
  void inject(Context ctx);

  /** Checks of its own, after the run's jobs ended (the invariants are checked elsewhere). */
  default void verify(Context ctx, Map<UUID, List<EventRow>> events) {}

  /** What a fault may use. */
  record Context(
      FaultCluster cluster,
      PrivateServices services,
      Db db,
      RunReport report,
      List<Tracked> jobs,
      Function<PlannedJob, Tracked> submitExtra) {

    List<UUID> acceptedIds() {
      return jobs.stream().filter(Tracked::accepted).map(t -> t.id).toList();
    }
  }
}
