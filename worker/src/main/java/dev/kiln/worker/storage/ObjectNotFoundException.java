package dev.kiln.worker.storage;

import java.io.IOException;

/** The store answered, and the object is not there: an answer, not an outage, so never retried. */
public class ObjectNotFoundException extends IOException {

  public ObjectNotFoundException(String key) {
    super("object store: no object " + key);
  }
}
