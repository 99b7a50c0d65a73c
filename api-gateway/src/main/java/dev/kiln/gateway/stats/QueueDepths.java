package dev.kiln.gateway.stats;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.kiln.gateway.jobtypes.JobTypes;
import dev.kiln.gateway.messaging.Broker;
import dev.kiln.model.broker.Topology;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/** Messages ready in each work queue, read with passive declares (no management plugin needed). */
@ApplicationScoped
public class QueueDepths {

  @Inject Broker broker;
  @Inject JobTypes jobTypes;

  /** Queue name to ready messages; -1 when the broker could not be asked. */
  public Map<String, Long> read() {
    Map<String, Long> depths = new LinkedHashMap<>();
    for (String type : jobTypes.names()) {
      depths.put(Topology.workQueue(type), depth(Topology.workQueue(type)));
    }
    depths.put(Topology.EVENTS_STORE_QUEUE, depth(Topology.EVENTS_STORE_QUEUE));
    depths.put(Topology.UNROUTABLE_QUEUE, depth(Topology.UNROUTABLE_QUEUE));
    // why: dead letters waiting to be recorded; a growing number means the recording is stuck
    depths.put(Topology.DEAD_LETTER_QUEUE, depth(Topology.DEAD_LETTER_QUEUE));
    return depths;
  }

  /** Messages ready in {@code queue}; -1 when the broker could not be asked. */
  public long ready(String queue) {
    return depth(queue);
  }

  private long depth(String queue) {
    // why: a passive declare of a missing queue closes the channel, so each gets its own
    try (Channel channel = broker.openChannel()) {
      AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(queue);
      return ok.getMessageCount();
    } catch (Exception e) {
      return -1;
    }
  }
}
