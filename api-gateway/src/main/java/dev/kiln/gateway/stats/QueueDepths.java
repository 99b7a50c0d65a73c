package dev.kiln.gateway.stats;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.kiln.gateway.jobtypes.JobTypes;
import dev.kiln.gateway.messaging.Broker;
import dev.kiln.model.broker.Topology;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Messages ready in each work queue, read with passive declares (no management plugin needed). */
@ApplicationScoped
public class QueueDepths {

  @Inject Broker broker;
  @Inject JobTypes jobTypes;

  /**
   * Every queue whose depth Kiln reports: the work queue of each type, the event store, unroutable
   * job messages and the dead letters. A fixed list, so metrics labelled by queue stay bounded.
   */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (String type : jobTypes.names()) {
      names.add(Topology.workQueue(type));
    }
    names.add(Topology.EVENTS_STORE_QUEUE);
    names.add(Topology.UNROUTABLE_QUEUE);
    // why: dead letters waiting to be recorded; a growing number means the recording is stuck
    names.add(Topology.DEAD_LETTER_QUEUE);
    return names;
  }

  /** Queue name to ready messages; -1 when the broker could not be asked. */
  public Map<String, Long> read() {
    Map<String, Long> depths = new LinkedHashMap<>();
    for (String queue : names()) {
      depths.put(queue, depth(queue));
    }
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
