package dev.kiln.worker.broker;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while both broker connections are open and the work queues are being consumed. */
@Readiness
@Singleton
public class BrokerReadiness implements HealthCheck {

  @Inject BrokerConnections connections;
  @Inject WorkConsumers consumers;

  @Override
  public HealthCheckResponse call() {
    boolean open = connections.isOpen();
    boolean consuming = consumers.consuming();
    return HealthCheckResponse.named("broker")
        .status(open && consuming)
        .withData("connected", open)
        .withData("consuming", consuming)
        .build();
  }
}
