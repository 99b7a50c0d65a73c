package dev.kiln.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.fixtures.SseClient.Frame;
import dev.kiln.model.json.KilnJson;
import java.io.IOException;
import java.util.List;

/**
 * One SSE frame of a job or batch stream, decoded.
 *
 * @param id the SSE id (the stored event id)
 * @param type the SSE event name
 * @param data the frame's JSON: the stored event plus a {@code job} snapshot
 */
public record Event(long id, String type, JsonNode data) {

  public static Event of(Frame frame) {
    try {
      return new Event(
          Long.parseLong(frame.id()), frame.event(), KilnJson.mapper().readTree(frame.data()));
    } catch (IOException | NumberFormatException e) {
      throw new AssertionError("malformed SSE frame " + frame, e);
    }
  }

  public static List<Event> of(List<Frame> frames) {
    return frames.stream().map(Event::of).toList();
  }

  public JsonNode payload() {
    return data.path("payload");
  }

  public int attempt() {
    return data.path("attempt").asInt();
  }

  /** The (id, type) pair that identifies a frame across streams. */
  public String key() {
    return id + " " + type;
  }

  @Override
  public String toString() {
    return "#" + id + " " + type + " attempt " + attempt() + " " + payload();
  }
}
