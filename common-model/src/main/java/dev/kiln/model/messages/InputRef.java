package dev.kiln.model.messages;

/**
 * One input of a job as the worker sees it: either an object already in the store or a URL the
 * worker fetches itself.
 *
 * @param name file name the stage sees (unique within a job)
 * @param objectKey key in the object store, or null for a URL input
 * @param url http(s) URL, or null for an object input
 * @param contentType declared or detected media type, may be null for URLs
 * @param size bytes, or null when unknown (URLs)
 * @param sha256 hex digest of stored inputs, or null when unknown
 */
public record InputRef(
    String name, String objectKey, String url, String contentType, Long size, String sha256) {

  public static InputRef object(
      String name, String objectKey, String contentType, long size, String sha256) {
    return new InputRef(name, objectKey, null, contentType, size, sha256);
  }

  public static InputRef url(String name, String url) {
    return new InputRef(name, null, url, null, null, null);
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isUrl() {
    return url != null;
  }
}
