package dev.kiln.model.broker;

import com.rabbitmq.client.ConnectionFactory;

/**
 * Connection settings shared by gateway and worker.
 *
 * @param host broker host
 * @param port AMQP port
 * @param username user
 * @param password password
 * @param virtualHost virtual host
 */
public record BrokerSettings(
    String host, int port, String username, String password, String virtualHost) {

  /** A connection factory that recovers connections and topology after a broker restart. */
  public ConnectionFactory connectionFactory() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(host);
    factory.setPort(port);
    factory.setUsername(username);
    factory.setPassword(password);
    factory.setVirtualHost(virtualHost);
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    // why: a broker restart takes a few seconds; retry often enough to come back quickly
    // without hammering the broker while it boots.
    factory.setNetworkRecoveryInterval(1000);
    // why: 10 s heartbeats notice a dead broker (or a dead peer) in under half a minute.
    factory.setRequestedHeartbeat(10);
    factory.setConnectionTimeout(5000);
    return factory;
  }
}
