package dev.kiln.gateway.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Object store settings beyond the MinIO client's own. */
@ConfigMapping(prefix = "kiln.storage")
public interface StorageConfig {

  /** Bucket holding inputs and artifacts (env {@code KILN_S3_BUCKET}). */
  @WithDefault("kiln")
  String bucket();

  /**
   * Object store address as clients outside the cluster reach it; download URLs are signed for it
   * (env {@code KILN_S3_PUBLIC_ENDPOINT}, defaults to the internal endpoint).
   */
  String publicEndpoint();

  /** How long a presigned download URL stays valid. */
  @WithDefault("15M")
  Duration downloadUrlTtl();
}
