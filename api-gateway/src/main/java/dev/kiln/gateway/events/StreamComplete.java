package dev.kiln.gateway.events;

/**
 * Thrown before a stream opens when the client already has everything, e.g. an EventSource
 * reconnecting after the terminal event. Answered with 204, which tells EventSource to stop
 * reconnecting.
 */
public class StreamComplete extends RuntimeException {
  public StreamComplete() {
    super("stream complete", null, false, false);
  }
}
