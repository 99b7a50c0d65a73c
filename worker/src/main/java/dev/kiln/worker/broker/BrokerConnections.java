package dev.kiln.worker.broker;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.MicrometerMetricsCollector;
import dev.kiln.worker.config.BrokerConfig;
import dev.kiln.worker.config.WorkerIdentity;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The worker's two broker connections. Both recover automatically after a broker restart.
 *
 * <p>why two: when the broker throttles publishers (memory or disk alarm) it blocks the whole
 * publishing connection; acks and cancellations on a separate connection keep flowing.
 */
@Singleton
public class BrokerConnections {

  private static final Logger LOG = Logger.getLogger(BrokerConnections.class);

  private final BrokerConfig config;
  private final String workerId;
  private volatile Connection consuming;
  private volatile Connection publishing;

  private final MeterRegistry registry;

  @Inject
  public BrokerConnections(BrokerConfig config, WorkerIdentity identity, MeterRegistry registry) {
    this.config = config;
    this.workerId = identity.id();
    this.registry = registry;
  }

  public synchronized void open() throws IOException, TimeoutException {
    if (consuming != null) {
      return;
    }
    ConnectionFactory factory = config.settings().connectionFactory();
    // why: published, consumed, acknowledged and rejected message counts for dashboards
    factory.setMetricsCollector(new MicrometerMetricsCollector(registry, "kiln_rabbitmq"));
    consuming = factory.newConnection("kiln-worker-" + workerId + "-consume");
    publishing = factory.newConnection("kiln-worker-" + workerId + "-publish");
    LOG.infof(
        "connected to broker %s:%d vhost %s", config.host(), config.port(), config.virtualHost());
  }

  public Connection consuming() {
    return require(consuming);
  }

  public Connection publishing() {
    return require(publishing);
  }

  public boolean isOpen() {
    Connection c = consuming;
    Connection p = publishing;
    return c != null && c.isOpen() && p != null && p.isOpen();
  }

  public synchronized void close() {
    for (Connection c : new Connection[] {consuming, publishing}) {
      if (c != null && c.isOpen()) {
        try {
          c.close(5_000);
        } catch (IOException | RuntimeException e) {
          LOG.debugf("closing broker connection: %s", e.toString());
        }
      }
    }
  }

  private static Connection require(Connection c) {
    if (c == null) {
      throw new IllegalStateException("broker connections are not open yet");
    }
    return c;
  }
}
