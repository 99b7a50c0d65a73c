package dev.kiln.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
}
