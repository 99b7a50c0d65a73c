package dev.kiln.worker.extraction.pipeline;

import dev.kiln.model.messages.JobMessage;
import dev.kiln.outbound.FetchPolicy;
import dev.kiln.outbound.GuardedFetcher;
import dev.kiln.outbound.HostResolver;
import dev.kiln.worker.fetch.FetchBeans;
import dev.kiln.worker.fetch.FetchConfig;
import dev.kiln.worker.pipeline.JobPipeline;
import dev.kiln.worker.pipeline.Stage;
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

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Stage> stages(JobMessage job) {
    ExtractionRun run = new ExtractionRun(pages);
    return Arrays.stream(Step.values()).<Stage>map(s -> new ExtractionStage(s, run)).toList();
  }
}
