package dev.kiln.worker.storage;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the artifact bucket answers: without it every job would fail to store output. */
@Readiness
@Singleton
public class StorageReadiness implements HealthCheck {

  @Inject MinioObjectStore store;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("object-store")
        .status(store.bucketReachable())
        .withData("bucket", store.bucket())
        .build();
  }
}
