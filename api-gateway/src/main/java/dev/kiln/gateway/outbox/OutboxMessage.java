package dev.kiln.gateway.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A broker message waiting to be published; written in the transaction whose outcome it announces.
 */
@Entity
@Table(name = "outbox")
public class OutboxMessage extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "outbox_seq")
  // why: a pooled sequence lets a 1,000-job batch insert its outbox rows in JDBC batches
  @SequenceGenerator(name = "outbox_seq", sequenceName = "outbox_seq", allocationSize = 50)
  public Long id;

  public String exchange;

  @Column(name = "routing_key")
  public String routingKey;

  @Column(name = "message_id")
  public UUID messageId;

  public byte[] payload;

  @Column(name = "created_at")
  public Instant createdAt;

  /** The writer's W3C trace context, null outside a trace. */
  public String traceparent;
}
