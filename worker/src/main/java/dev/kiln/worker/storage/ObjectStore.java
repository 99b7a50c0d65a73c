package dev.kiln.worker.storage;

import java.io.IOException;
import java.io.InputStream;

/** The few object store operations a worker needs, on the configured bucket. */
public interface ObjectStore {

  /**
   * Streams exactly {@code size} bytes from {@code content} to {@code key}, replacing any object
   * there. Memory use is bounded by the upload part size, not by {@code size}.
   */
  void put(String key, InputStream content, long size, String contentType) throws IOException;

  /** Opens an object for reading; the caller closes the stream. */
  InputStream open(String key) throws IOException;

  /** Deletes an object; a missing object is not an error. */
  void delete(String key) throws IOException;
}
