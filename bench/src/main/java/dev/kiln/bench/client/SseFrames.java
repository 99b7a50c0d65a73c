package dev.kiln.bench.client;

/**
 * Assembles server-sent event frames from the stream's lines (the text/event-stream rules the bench
 * needs: {@code id}, {@code event}, {@code data} over several lines, comments, and a blank line
 * that ends a frame). Not thread-safe: one per connection.
 */
public final class SseFrames {

  /**
   * @param id the frame's id field, or null
   * @param event the event field, or null
   * @param data the data lines joined by \n
   */
  public record Frame(String id, String event, String data) {}

  private String id;
  private String event;
  private StringBuilder data;

  /** Feeds one line (without its line end); answers the frame it completes, or null. */
  public Frame line(String line) {
    if (line.isEmpty()) {
      Frame done = data == null ? null : new Frame(id, event, data.toString());
      id = null;
      event = null;
      data = null;
      return done;
    }
    if (line.startsWith(":")) {
      return null; // a comment, e.g. the gateway's ":open" once subscribed
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "id" -> id = value;
      case "event" -> event = value;
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      default -> {
        // why: other fields (retry, the gateway's content-type line) carry nothing the bench needs
      }
    }
    return null;
  }
}
