package dev.kiln.worker.config;

import dev.kiln.model.broker.BrokerSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the RabbitMQ broker is; env vars {@code KILN_BROKER_*}. */
@ConfigMapping(prefix = "kiln.broker")
public interface BrokerConfig {

  /** Broker host name or address ({@code KILN_BROKER_HOST}). */
  @WithDefault("127.0.0.1")
  String host();

  /** AMQP port ({@code KILN_BROKER_PORT}). */
  @WithDefault("5672")
  int port();

  /** User name ({@code KILN_BROKER_USERNAME}). */
  @WithDefault("guest")
  String username();

  /** Password ({@code KILN_BROKER_PASSWORD}). */
  @WithDefault("guest")
  String password();

  /** Virtual host ({@code KILN_BROKER_VIRTUAL_HOST}); tests use {@code kiln-test-worker}. */
  @WithDefault("/")
  String virtualHost();

  default BrokerSettings settings() {
    return new BrokerSettings(host(), port(), username(), password(), virtualHost());
  }
}
