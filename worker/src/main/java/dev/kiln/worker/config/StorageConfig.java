package dev.kiln.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Object store settings owned by Kiln. Endpoint and credentials are quarkus-minio's own keys
 * ({@code quarkus.minio.*}), fed from {@code KILN_S3_*} in application.properties.
 */
@ConfigMapping(prefix = "kiln.storage")
public interface StorageConfig {

  /**
   * Bucket holding inputs and artifacts ({@code KILN_S3_BUCKET}); created at startup when missing.
   */
  @WithDefault("kiln")
  String bucket();

  /**
   * Wait after the first failed object store call of a job before trying again ({@code
   * KILN_STORAGE_RETRY_INITIAL_BACKOFF}); doubled after every further failure.
   */
  @WithDefault("200ms")
  Duration retryInitialBackoff();

  /** Longest wait between two tries ({@code KILN_STORAGE_RETRY_MAX_BACKOFF}). */
  @WithDefault("5s")
  Duration retryMaxBackoff();

  /**
   * How long one object store operation is retried before the stage fails retryably with {@code
   * STORAGE_UNAVAILABLE} ({@code KILN_STORAGE_RETRY_TIMEOUT}).
   */
  @WithDefault("30s")
  Duration retryTimeout();
}
