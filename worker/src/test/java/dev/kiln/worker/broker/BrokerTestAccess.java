package dev.kiln.worker.broker;

import com.rabbitmq.client.Channel;

/** Lets tests outside this package break the worker's channels on purpose. */
public final class BrokerTestAccess {

  private BrokerTestAccess() {}

  /** The channel currently consuming the work queue of {@code type}. */
  public static Channel workChannel(WorkConsumers consumers, String type) {
    return consumers.channelOf(type);
  }
}
