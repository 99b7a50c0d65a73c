package dev.kiln.gateway.paging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * The position after the last row of a newest-first page ({@code created_at desc, id desc}), as an
 * opaque URL-safe token. Keyset pagination is stable under concurrent inserts: a page never repeats
 * or skips a row.
 *
 * @param createdAt the last row's creation time (microseconds, as PostgreSQL stores it)
 * @param id the last row's id, which breaks ties
 */
public record KeysetCursor(Instant createdAt, UUID id) {

  public String encode() {
    long micros = createdAt.getEpochSecond() * 1_000_000 + createdAt.getNano() / 1000;
    String raw = micros + ":" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a token stands for; empty for anything that is not one. */
  public static Optional<KeysetCursor> decode(String token) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int colon = raw.indexOf(':');
      long micros = Long.parseLong(raw.substring(0, colon));
      Instant at = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
      return Optional.of(new KeysetCursor(at, UUID.fromString(raw.substring(colon + 1))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
