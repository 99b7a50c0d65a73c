package dev.kiln.gateway.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.impl.MicrometerMetricsCollector;
import dev.kiln.gateway.jobtypes.JobTypes;
import dev.kiln.model.broker.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The gateway's one broker connection. It connects in the background until the broker answers (a
 * gateway must start, and accept submissions into the outbox, while the broker is down), declares
 * the topology, then hands the connection to every component that registered with {@link
 * #onConnected}. After that the client's automatic recovery restores channels and consumers.
 */
@ApplicationScoped
public class Broker {

  private static final Logger LOG = Logger.getLogger(Broker.class);

  /** Identifies this replica's private queue and its log lines. */
  private final String instanceId = UUID.randomUUID().toString().substring(0, 8);

  private final List<Consumer<Connection>> listeners = new ArrayList<>();
  private volatile Connection connection;
  private volatile boolean stopping;

  /** Since when the connection has been up without interruption; null while it is down. */
  private volatile Instant connectedSince;

  @Inject BrokerConfig config;
  @Inject JobTypes jobTypes;
  @Inject MeterRegistry registry;

  void start(@Observes @Priority(10) StartupEvent event) {
    Thread.ofPlatform().daemon().name("kiln-broker-connect").start(this::connectUntilUp);
  }

  private void connectUntilUp() {
    long backoffMs = 500;
    while (!stopping) {
      Connection c = null;
      try {
        ConnectionFactory factory = config.settings().connectionFactory();
        // why: published, consumed, acknowledged and rejected message counts for dashboards
        factory.setMetricsCollector(new MicrometerMetricsCollector(registry, "kiln_rabbitmq"));
        c = factory.newConnection("kiln-gateway-" + instanceId);
        // why: topology recovery re-declares on the channel that declared first; it must stay
        // open, or recovery after a broker restart fails to restore exchanges and queues
        Channel topology = c.createChannel();
        Topology.declareShared(topology);
        for (String type : jobTypes.names()) {
          Topology.declareWorkQueue(topology, type);
        }
        LOG.infof("connected to RabbitMQ %s:%d", config.host(), config.port());
        track(c);
        // why: under the same lock as onConnected, so no listener runs twice or not at all
        synchronized (this) {
          connection = c;
          for (Consumer<Connection> listener : listeners) {
            listener.accept(c);
          }
        }
        return;
      } catch (IOException | TimeoutException | RuntimeException e) {
        if (c == null) {
          LOG.warnf("RabbitMQ not reachable (%s), retrying in %d ms", e.toString(), backoffMs);
        } else {
          // why: connected, but a declaration failed, typically PRECONDITION_FAILED for a queue
          // that exists with other arguments; an operator must delete or migrate it
          LOG.errorf(
              "RabbitMQ refused Kiln's queues and exchanges (%s), retrying in %d ms",
              e.getCause() != null ? e.getCause().toString() : e.toString(), backoffMs);
          abortQuietly(c);
        }
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  /**
   * Runs {@code listener} once the connection is up (at once if it already is). Listeners open
   * their own channels; recovery re-opens them after a broker restart.
   */
  public synchronized void onConnected(Consumer<Connection> listener) {
    listeners.add(listener);
    Connection c = connection;
    if (c != null) {
      listener.accept(c);
    }
  }

  private void track(Connection c) {
    connectedSince = Instant.now();
    c.addShutdownListener(cause -> connectedSince = null);
    if (c instanceof Recoverable recoverable) {
      recoverable.addRecoveryListener(
          new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable recovered) {
              connectedSince = Instant.now();
            }

            @Override
            public void handleRecoveryStarted(Recoverable recovering) {
              connectedSince = null;
            }
          });
    }
  }

  /**
   * How long the connection has been up without interruption; zero while it is down. Whatever
   * arrives by broadcast (worker heartbeats) is only complete after a while of being connected.
   */
  public Duration connectedFor() {
    Instant since = connectedSince;
    return since == null || !isConnected() ? Duration.ZERO : Duration.between(since, Instant.now());
  }

  public boolean isConnected() {
    Connection c = connection;
    return c != null && c.isOpen();
  }

  /** A new channel, or an exception when the broker is not reachable right now. */
  public Channel openChannel() throws IOException {
    Connection c = connection;
    if (c == null || !c.isOpen()) {
      throw new IOException("not connected to RabbitMQ");
    }
    return c.createChannel();
  }

  public String instanceId() {
    return instanceId;
  }

  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    Connection c = connection;
    if (c != null) {
      try {
        c.close(5000);
      } catch (Exception e) {
        LOG.debug("closing broker connection", e);
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void abortQuietly(Connection c) {
    try {
      c.abort(1000);
    } catch (RuntimeException e) {
      LOG.debugf("aborting the connection: %s", e.toString());
    }
  }
}
