package dev.kiln.gateway.health;

import dev.kiln.gateway.messaging.Broker;
import dev.kiln.gateway.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the broker and the object store; the database check comes with the datasource. A
 * gateway that cannot reach them should get no traffic.
 */
public final class DependencyReadiness {

  private DependencyReadiness() {}

  @Readiness
  @ApplicationScoped
  public static class BrokerCheck implements HealthCheck {
    @Inject Broker broker;

    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.named("rabbitmq").status(broker.isConnected()).build();
    }
  }

  @Readiness
  @ApplicationScoped
  public static class ObjectStoreCheck implements HealthCheck {
    @Inject ObjectStore store;

    @Override
    public HealthCheckResponse call() {
      boolean up = store.reachable();
      if (!up) {
        try {
          store.ensureBucket();
          up = store.reachable();
        } catch (Exception e) {
          up = false;
        }
      }
      return HealthCheckResponse.named("object-store").status(up).build();
    }
  }
}
