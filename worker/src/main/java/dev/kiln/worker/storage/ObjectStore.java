package dev.kiln.worker.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The few object store operations a worker needs, on the configured bucket. Every call is one try:
 * {@link RetryingStore} adds the backoff for outages.
 */
public interface ObjectStore {

  /**
   * Streams exactly {@code size} bytes from {@code content} to {@code key}, replacing any object
   * there. Memory use is bounded by the upload part size, not by {@code size}.
   */
  void put(String key, InputStream content, long size, String contentType) throws IOException;

  /**
   * Opens an object for reading; the caller closes the stream.
   *
   * @throws ObjectNotFoundException when there is no such object
   */
  default InputStream open(String key) throws IOException {
    return open(key, 0);
  }

  /**
   * Opens an object for reading from byte {@code offset} on; the caller closes the stream.
   *
   * @throws ObjectNotFoundException when there is no such object
   */
  InputStream open(String key, long offset) throws IOException;

  /** Deletes an object; a missing object is not an error. */
  void delete(String key) throws IOException;

  /** The keys of every object whose key starts with {@code prefix}, in any order. */
  List<String> list(String prefix) throws IOException;
}
