package dev.kiln.worker.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.CancelCommand;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** Receives the control broadcasts ({@code kiln.control}) on this worker's private queue. */
@Singleton
public class ControlConsumer {

  private static final Logger LOG = Logger.getLogger(ControlConsumer.class);

  private volatile Channel channel;

  /**
   * Declares the shared topology and {@code kiln.worker.{workerId}}, and hands every valid cancel
   * command to the sink.
   */
  public synchronized void start(
      Connection connection, String workerId, Consumer<CancelCommand> cancels) throws IOException {
    Channel ch = connection.createChannel();
    // why: on this long-lived channel, because topology recovery re-declares on the declaring one
    Topology.declareShared(ch);
    String queue = Topology.declareWorkerControlQueue(ch, workerId);
    // why: auto-ack; a command lost with a crashing worker concerns jobs that crash with it
    ch.basicConsume(
        queue,
        true,
        new DefaultConsumer(ch) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            CancelCommand command;
            try {
              command = KilnJson.mapper().readValue(body, CancelCommand.class);
            } catch (IOException e) {
              LOG.warnf("dropping unreadable control message: %s", e.getMessage());
              return;
            }
            if (command.jobId() == null || command.attempt() < 1) {
              LOG.warnf("dropping invalid cancel command %s", command);
              return;
            }
            LOG.infof("cancel requested for job %s attempt %d", command.jobId(), command.attempt());
            cancels.accept(command);
          }
        });
    channel = ch;
  }

  public synchronized void close() {
    Channel ch = channel;
    channel = null;
    try {
      if (ch != null && ch.isOpen()) {
        ch.close();
      }
    } catch (IOException | TimeoutException | RuntimeException e) {
      LOG.debugf("closing control channel: %s", e.toString());
    }
  }
}
