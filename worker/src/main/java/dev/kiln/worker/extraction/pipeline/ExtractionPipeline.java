package dev.kiln.worker.extraction.pipeline;

import dev.kiln.model.messages.JobMessage;
import dev.kiln.outbound.FetchPolicy;
import dev.kiln.outbound.GuardedFetcher;
import dev.kiln.outbound.HostResolver;
import dev.kiln.worker.fetch.FetchBeans;
import dev.kiln.worker.fetch.FetchConfig;
import dev.kiln.worker.pipeline.JobPipeline;
import dev.kiln.worker.pipeline.Stage;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code extraction} job type: a web page (URL or uploaded HTML) becomes a structured recipe
 * and a Markdown article. Stages are named as recipe apps name their phases: fetch, extraction,
 * parsing, upload.
 */
@Singleton
public class ExtractionPipeline implements JobPipeline {

  public static final String TYPE = "extraction";

  private final PageFetcher pages;

  @Inject
  public ExtractionPipeline(FetchConfig fetch, ExtractionConfig config) {
    FetchPolicy policy =
        new FetchPolicy(
            FetchBeans.policy(fetch).allowed(),
            config.maxBytes(),
            config.timeout(),
            config.maxDuration(),
            config.maxRedirects());
    this.pages =
        new PageFetcher(new GuardedFetcher(policy, HostResolver.SYSTEM), config.maxBytes());
  }

  /** For tests: pages come from this fetcher. */
  ExtractionPipeline(PageFetcher pages) {
    this.pages = pages;
  }

  /**
   * Runs each extraction path once when the worker starts, on a virtual thread. why: the first
   * extraction in a JVM spends up to ~450 ms loading and compiling jsoup and the readers, against
   * 40-60 ms afterwards for a 500 KB page; the first real job should not pay for that.
   */
  void warmUp(@Observes StartupEvent event) {
    Thread.ofVirtual().name("kiln-extraction-warm-up").start(() -> ExtractionWarmUp.run());
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Stage> stages(JobMessage job) {
    ExtractionRun run = new ExtractionRun(pages);
    return Arrays.stream(Step.values())
        .map(s -> Stage.named(s.stageName(), ctx -> run.run(s, ctx)))
        .toList();
  }
}
