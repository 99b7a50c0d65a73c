package dev.kiln.worker.broker;

/** Receives job messages. Called on the broker client's dispatch thread: must not block. */
@FunctionalInterface
public interface DeliveryHandler {
  void onDelivery(String queueType, JobDelivery delivery);
}
