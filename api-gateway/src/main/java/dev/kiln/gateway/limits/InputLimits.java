package dev.kiln.gateway.limits;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Caps on what a client may send, so that no request can make the gateway parse, buffer or store an
 * unbounded amount of work. The request-wide caps ({@code quarkus.http.limits.max-body-size},
 * {@code kiln.http.max-json-body}) are applied by {@code HttpLayerProblems} before a resource runs;
 * these are checked once the request has been read.
 */
// why static-init safe: the REST ObjectMapper, which StrictJson configures, is built at static init
@StaticInitSafe
@ConfigMapping(prefix = "kiln.limits")
public interface InputLimits {

  /**
   * Deepest nesting of JSON objects and arrays in a request (env {@code KILN_JSON_MAX_DEPTH}). No
   * request needs more than a handful of levels; a deep document only costs stack and time.
   */
  @WithDefault("32")
  int jsonMaxDepth();

  /**
   * Longest JSON string in a request, in characters (env {@code KILN_JSON_MAX_STRING_LENGTH}).
   * Every field has its own, smaller cap; this one stops a huge string before it is materialised.
   */
  @WithDefault("65536")
  int jsonMaxStringLength();

  /**
   * Longest JSON number literal, in characters (env {@code KILN_JSON_MAX_NUMBER_LENGTH}): parsing a
   * number of thousands of digits is quadratic.
   */
  @WithDefault("64")
  int jsonMaxNumberLength();

  /** Largest uploaded file (env {@code KILN_MAX_UPLOAD_FILE_SIZE}); larger ones answer 413. */
  @WithDefault("100M")
  MemorySize maxUploadFileSize();

  /**
   * Most files in one multipart request (env {@code KILN_MAX_UPLOAD_FILES}); more answer 413. A
   * batch upload makes one job per file, and a batch holds up to 1,000 jobs.
   */
  @WithDefault("1000")
  int maxUploadFiles();

  /**
   * Largest image an upload may declare in its header, in pixels (width × height), env {@code
   * KILN_MAX_IMAGE_PIXELS}: a small compressed file can decode to gigabytes (a decompression bomb).
   */
  @WithDefault("40000000")
  long maxImagePixels();

  /** Longest side of an uploaded image, in pixels (env {@code KILN_MAX_IMAGE_SIDE}). */
  @WithDefault("20000")
  int maxImageSide();
}
