package dev.kiln.worker.broker;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while both broker connections are open, every work queue has a live consumer on an open
 * channel and the event channel can publish.
 */
@Readiness
@Singleton
public class BrokerReadiness implements HealthCheck {

  @Inject BrokerConnections connections;
  @Inject WorkConsumers consumers;
  @Inject EventPublisher publisher;

  @Override
  public HealthCheckResponse call() {
    boolean open = connections.isOpen();
    boolean consuming = consumers.consuming();
    boolean publishing = publisher.isReady();
    return HealthCheckResponse.named("broker")
        .status(open && consuming && publishing)
        .withData("connected", open)
        .withData("consuming", consuming)
        .withData("publishing", publishing)
        .build();
  }
}
