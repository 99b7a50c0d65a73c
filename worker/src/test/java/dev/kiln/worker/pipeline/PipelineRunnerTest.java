package dev.kiln.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.messages.InputRef;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.outbound.TestFetchers;
import dev.kiln.worker.storage.RetryingStore;
import dev.kiln.worker.testing.InMemoryObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineRunnerTest {

  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final List<JobEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final List<String> timedStages = new ArrayList<>();
  private final PipelineRunner runner =
      new PipelineRunner(
          store, Duration.ofMillis(250), (type, stage, took) -> timedStages.add(stage));
  private final JobMessage job =
      new JobMessage(
          1,
          UUID.randomUUID(),
          "synthetic",
          3,
          JsonNodeFactory.instance.objectNode(),
          List.of(),
          null,
          Instant.now());

  @Test
  void successfulRunEmitsContiguousSequenceEndingInSucceeded() {
    RunOutcome outcome = run(stage("a", ctx -> ctx.progress(50, "half")), stage("b", ctx -> {}));

    assertThat(outcome).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(types())
        .containsExactly(
            "job.started",
            "stage.started",
            "stage.progress",
            "stage.completed",
            "stage.started",
            "stage.completed",
            "job.succeeded");
    assertThat(events)
        .extracting(JobEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 7).boxed().toList());
    assertThat(events).extracting(JobEvent::eventId).doesNotHaveDuplicates();
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.jobId()).isEqualTo(job.jobId());
              assertThat(e.attempt()).isEqualTo(3);
              assertThat(e.source()).isEqualTo("worker-under-test");
              assertThat(e.v()).isEqualTo(JobEvent.VERSION);
            });
    assertThat(events.getFirst().payload())
        .isEqualTo(new EventPayload.JobStarted("synthetic", List.of("a", "b"), 2));
    assertThat(events.get(2).payload())
        .isEqualTo(new EventPayload.StageProgress("a", 0, 50, "half"));
    assertThat(events.get(4).payload()).isEqualTo(new EventPayload.StageStarted("b", 1));
    assertThat(timedStages).containsExactly("a", "b");
  }

  @Test
  void pipelineWithoutStagesEmitsOnlyStartedAndSucceeded() {
    assertThat(run()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(types()).containsExactly("job.started", "job.succeeded");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void stageFailureEmitsJobFailedWithItsCodeAndRetryability(boolean retryable) {
    RunOutcome outcome =
        run(
            stage("a", ctx -> {}),
            stage(
                "b",
                ctx -> {
                  throw new StageFailure("BAD_INPUT", "input is broken", retryable);
                }),
            stage("never", ctx -> {}));

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(types())
        .containsExactly(
            "job.started", "stage.started", "stage.completed", "stage.started", "job.failed");
    assertThat(events.getLast().payload())
        .isEqualTo(new EventPayload.JobFailed("BAD_INPUT", "input is broken", retryable, "b"));
    assertThat(events.getLast().seq()).isEqualTo(5);
  }

  @Test
  void unexpectedExceptionBecomesRetryableInternalErrorWithoutItsMessage() {
    RunOutcome outcome =
        run(
            stage(
                "a",
                ctx -> {
                  throw new IllegalStateException("password=hunter2 at /secret/path");
                }));

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    EventPayload.JobFailed failed = (EventPayload.JobFailed) events.getLast().payload();
    assertThat(failed.code()).isEqualTo("INTERNAL_ERROR");
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.stage()).isEqualTo("a");
    assertThat(failed.message()).contains("IllegalStateException").doesNotContain("hunter2");
    assertThat(events).filteredOn(JobEvent::isTerminal).hasSize(1);
  }

  @Test
  void pipelineThatCannotPlanFailsWithoutStarting() {
    JobPipeline broken =
        new JobPipeline() {
          @Override
          public String type() {
            return "synthetic";
          }

          @Override
          public List<Stage> stages(JobMessage job) {
            throw new IllegalArgumentException("bad params");
          }
        };
    RunOutcome outcome = runner.run(request(), broken, events::add).outcome();

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(types()).containsExactly("job.failed");
    assertThat(((EventPayload.JobFailed) events.getFirst().payload()).stage()).isNull();
  }

  @Test
  void cancelMidStageRemovesPartialArtifactsAndEmitsCancelled() {
    RunOutcome outcome =
        run(
            stage(
                "write",
                ctx -> ctx.writeArtifact("part.bin", "application/octet-stream", bytes("abc"), 3)),
            stage(
                "slow",
                ctx -> {
                  ctx.progress(10, "working");
                  cancelled.set(true);
                  ctx.progress(20, "never sent");
                }),
            stage("never", ctx -> {}));

    assertThat(outcome).isEqualTo(RunOutcome.CANCELLED);
    assertThat(store.keys("artifacts/")).isEmpty();
    assertThat(types())
        .containsExactly(
            "job.started",
            "stage.started",
            "artifact.created",
            "stage.completed",
            "stage.started",
            "stage.progress",
            "job.cancelled");
    assertThat(events.getLast().payload())
        .isEqualTo(new EventPayload.JobCancelled("requested", "slow"));
  }

  @Test
  void cancelDuringAnUploadAbortsItAndStoresNothing() {
    InputStream endless =
        new InputStream() {
          private long served;

          @Override
          public int read() {
            if (++served == 10_000) {
              cancelled.set(true);
            }
            return 42;
          }
        };
    RunOutcome outcome =
        run(stage("upload", ctx -> ctx.writeArtifact("big.bin", null, endless, 1_000_000_000L)));

    assertThat(outcome).isEqualTo(RunOutcome.CANCELLED);
    assertThat(store.keys("artifacts/")).isEmpty();
    assertThat(types()).containsExactly("job.started", "stage.started", "job.cancelled");
  }

  @Test
  void failureCausedByCancellationIsReportedAsCancelled() {
    RunOutcome outcome =
        run(
            stage(
                "io",
                ctx -> {
                  cancelled.set(true);
                  throw new java.io.IOException("stream closed");
                }));

    assertThat(outcome).isEqualTo(RunOutcome.CANCELLED);
    assertThat(types()).containsExactly("job.started", "stage.started", "job.cancelled");
  }

  @Test
  void progressIsThrottledPerJobAcrossStages() {
    run(
        stage(
            "burst",
            ctx -> {
              for (int i = 0; i <= 100; i++) {
                ctx.progress(i, null);
              }
            }),
        stage(
            "spaced",
            ctx -> {
              ctx.progress(-5, "dropped: within the interval of the burst");
              Thread.sleep(300);
              ctx.progress(250, "clamped high");
            }));

    assertThat(progress())
        .containsExactly(
            new EventPayload.StageProgress("burst", 0, 0, null),
            new EventPayload.StageProgress("spaced", 1, 100, "clamped high"));
  }

  @Test
  void manyShortStagesStayWithinTheJobsProgressBudget() {
    Stage[] stages = new Stage[20];
    for (int i = 0; i < stages.length; i++) {
      stages[i] =
          stage(
              "s" + i,
              ctx -> {
                ctx.progress(0, "begin");
                ctx.progress(100, "end");
              });
    }
    long t0 = System.nanoTime();
    run(stages);
    long elapsedMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();

    // why: one report per 250 ms interval, whatever the number of stages in it
    assertThat(progress()).hasSizeLessThanOrEqualTo((int) (1 + elapsedMs / 250));
    assertThat(types())
        .as("stage.started and stage.completed are never throttled")
        .filteredOn(t -> t.equals("stage.started") || t.equals("stage.completed"))
        .hasSize(40);
  }

  @Test
  void progressOfALongStageKeepsMoving() {
    PipelineRunner fast = new PipelineRunner(store, Duration.ofMillis(20), RunObserver.NONE);
    JobPipeline pipeline =
        pipelineOf(
            stage("quick", ctx -> ctx.progress(50, null)),
            stage(
                "long",
                ctx -> {
                  for (int i = 1; i <= 100; i++) {
                    Thread.sleep(3);
                    ctx.progress(i, null);
                  }
                }));
    fast.run(request(), pipeline, events::add);

    List<Integer> longStage =
        progress().stream().filter(p -> p.stage().equals("long")).map(p -> p.progress()).toList();
    assertThat(longStage).hasSizeGreaterThanOrEqualTo(3).isSorted().doesNotHaveDuplicates();
    assertThat(longStage.getLast()).isGreaterThan(50);
  }

  @Test
  void artifactIsStoredUnderTheJobPrefixAndAnnouncedWithItsDigest() throws Exception {
    AtomicReference<ArtifactRef> ref = new AtomicReference<>();
    byte[] content = "hello artifact".getBytes(StandardCharsets.UTF_8);
    run(
        stage(
            "write",
            ctx -> {
              Path file = ctx.workDir().resolve("out.txt");
              Files.write(file, content);
              ref.set(ctx.writeArtifact("out.txt", "text/plain", file));
            }));

    String key = "artifacts/" + job.jobId() + "/out.txt";
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    assertThat(store.objects.get(key)).isEqualTo(content);
    assertThat(ref.get())
        .isEqualTo(new ArtifactRef("out.txt", key, content.length, "text/plain", sha));
    assertThat(events)
        .extracting(JobEvent::payload)
        .contains(
            new EventPayload.ArtifactCreated("out.txt", key, content.length, "text/plain", sha));
  }

  @Test
  void unsafeArtifactNameFailsTheJobAndStoresNothing() {
    RunOutcome outcome =
        run(stage("write", ctx -> ctx.writeArtifact("../x", "text/plain", bytes("x"), 1)));

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(store.keys("artifacts/")).isEmpty();
    assertThat(((EventPayload.JobFailed) events.getLast().payload()).code())
        .isEqualTo("INTERNAL_ERROR");
  }

  @Test
  void workDirIsDeletedWhenTheRunEnds() {
    AtomicReference<Path> dir = new AtomicReference<>();
    run(
        stage(
            "scratch",
            ctx -> {
              dir.set(ctx.workDir());
              Files.createDirectories(dir.get().resolve("nested"));
              Files.writeString(dir.get().resolve("nested/file.txt"), "tmp");
            }));

    assertThat(dir.get()).doesNotExist();
  }

  @Test
  void urlInputResolvingToAnInternalAddressFailsWithInputUrlForbidden() {
    RunOutcome outcome =
        runWithFetcher(
            stage("fetch", ctx -> ctx.openInput(InputRef.url("page.html", "https://x.test/"))));

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    EventPayload.JobFailed failed = (EventPayload.JobFailed) events.getLast().payload();
    assertThat(failed.code()).isEqualTo("INPUT_URL_FORBIDDEN");
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.message()).contains("page.html", "x.test").doesNotContain("10.0.0.1");
  }

  @Test
  void urlInputIsRefusedByARunnerWithoutFetcher() {
    RunOutcome outcome =
        run(stage("fetch", ctx -> ctx.openInput(InputRef.url("page.html", "https://x.test/"))));

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    EventPayload.JobFailed failed = (EventPayload.JobFailed) events.getLast().payload();
    assertThat(failed.code()).isEqualTo("INPUT_URL_FORBIDDEN");
    assertThat(failed.retryable()).isFalse();
  }

  @Test
  void urlInputIsFetchedFromAnAllowedServer() throws Exception {
    AtomicReference<byte[]> read = new AtomicReference<>();
    try (LoopbackServer server =
        new LoopbackServer(200, "recipe".getBytes(StandardCharsets.UTF_8))) {
      RunOutcome outcome =
          runWithFetcher(
              stage(
                  "fetch",
                  ctx -> {
                    try (InputStream in =
                        ctx.openInput(InputRef.url("page.html", server.url("files.x.test")))) {
                      read.set(in.readAllBytes());
                    }
                  }));

      assertThat(outcome).isEqualTo(RunOutcome.SUCCEEDED);
    }
    assertThat(new String(read.get(), StandardCharsets.UTF_8)).isEqualTo("recipe");
  }

  @Test
  void urlInputLargerThanTheCapFailsWithInputTooLarge() throws Exception {
    try (LoopbackServer server = new LoopbackServer(200, new byte[2 * 1024 * 1024])) {
      RunOutcome outcome =
          runWithFetcher(
              stage(
                  "fetch",
                  ctx -> ctx.openInput(InputRef.url("big.bin", server.url("files.x.test")))));

      assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    }
    EventPayload.JobFailed failed = (EventPayload.JobFailed) events.getLast().payload();
    assertThat(failed.code()).isEqualTo("INPUT_TOO_LARGE");
    assertThat(failed.retryable()).isFalse();
  }

  @Test
  void urlInputOnAFailingServerFailsRetryablyWithInputUnavailable() throws Exception {
    try (LoopbackServer server = new LoopbackServer(503, new byte[0])) {
      RunOutcome outcome =
          runWithFetcher(
              stage(
                  "fetch",
                  ctx -> ctx.openInput(InputRef.url("page.html", server.url("files.x.test")))));

      assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    }
    EventPayload.JobFailed failed = (EventPayload.JobFailed) events.getLast().payload();
    assertThat(failed.code()).isEqualTo("INPUT_UNAVAILABLE");
    assertThat(failed.retryable()).isTrue();
  }

  @Test
  void objectInputIsReadFromTheStore() {
    store.objects.put("inputs/x/photo.png", new byte[] {1, 2, 3});
    AtomicReference<byte[]> read = new AtomicReference<>();
    run(
        stage(
            "read",
            ctx -> {
              try (var in =
                  ctx.openInput(
                      InputRef.object("photo.png", "inputs/x/photo.png", "image/png", 3, null))) {
                read.set(in.readAllBytes());
              }
            }));

    assertThat(read.get()).containsExactly(1, 2, 3);
  }

  private RunOutcome run(Stage... stages) {
    return runner.run(request(), pipelineOf(stages), events::add).outcome();
  }

  /**
   * A runner whose URL inputs go through the guard with the test policy (only 127.0.0.1 allowed);
   * {@code x.test} resolves to a private address, {@code files.x.test} to 127.0.0.1, and nothing
   * else resolves. No real DNS, and nothing can connect outside loopback.
   */
  private RunOutcome runWithFetcher(Stage... stages) {
    PipelineRunner fetching =
        new PipelineRunner(
            new RetryingStore(
                store, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30)),
            Duration.ofMillis(250),
            RunObserver.NONE,
            RetryScheduler.NONE,
            () -> 0.0,
            TestFetchers.loopbackOnly(
                TestFetchers.loopbackPolicy(),
                TestFetchers.resolver(Map.of("x.test", "10.0.0.1", "files.x.test", "127.0.0.1"))));
    return fetching.run(request(), pipelineOf(stages), events::add).outcome();
  }

  /** Answers every request with one status and body, on 127.0.0.1. */
  private static final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;

    LoopbackServer(int status, byte[] body) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          ex -> {
            try (ex) {
              ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
              if (body.length > 0) {
                ex.getResponseBody().write(body);
              }
            } catch (IOException e) {
              // why: the client may stop reading at the size cap
            }
          });
      server.start();
    }

    String url(String host) {
      return "http://" + host + ":" + server.getAddress().getPort() + "/input";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static JobPipeline pipelineOf(Stage... stages) {
    return new JobPipeline() {
      @Override
      public String type() {
        return "synthetic";
      }

      @Override
      public List<Stage> stages(JobMessage job) {
        return List.of(stages);
      }
    };
  }

  private List<EventPayload.StageProgress> progress() {
    return events.stream()
        .map(JobEvent::payload)
        .filter(EventPayload.StageProgress.class::isInstance)
        .map(EventPayload.StageProgress.class::cast)
        .toList();
  }

  private RunRequest request() {
    return new RunRequest(job, "worker-under-test", 2, cancelled::get);
  }

  private List<String> types() {
    return events.stream().map(JobEvent::type).toList();
  }

  private static ByteArrayInputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  interface Body {
    void run(StageContext ctx) throws Exception;
  }

  private static Stage stage(String name, Body body) {
    return new Stage() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void run(StageContext ctx) throws Exception {
        body.run(ctx);
      }
    };
  }
}
