package dev.kiln.gateway.messaging;

import dev.kiln.model.broker.BrokerSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** RabbitMQ connection of the gateway. */
@ConfigMapping(prefix = "kiln.broker")
public interface BrokerConfig {

  /** Broker host name (env {@code KILN_BROKER_HOST}). */
  @WithDefault("127.0.0.1")
  String host();

  /** AMQP port (env {@code KILN_BROKER_PORT}). */
  @WithDefault("5672")
  int port();

  /** User name (env {@code KILN_BROKER_USERNAME}). */
  @WithDefault("guest")
  String username();

  /** Password (env {@code KILN_BROKER_PASSWORD}). */
  @WithDefault("guest")
  String password();

  /** Virtual host; tests use their own (env {@code KILN_BROKER_VIRTUAL_HOST}). */
  @WithDefault("/")
  String virtualHost();

  /**
   * Unacknowledged events the event store may hold at once. It bounds the store's batch buffer;
   * batches are at most this large.
   */
  @WithDefault("1000")
  int eventPrefetch();

  default BrokerSettings settings() {
    return new BrokerSettings(host(), port(), username(), password(), virtualHost());
  }
}
