package dev.kiln.worker.storage;

import java.io.IOException;

/** The object store kept failing for the whole retry budget. */
public class StorageUnavailableException extends IOException {

  public StorageUnavailableException(String what, long tries, IOException last) {
    super("object store unavailable: " + what + " failed " + tries + " time(s)", last);
  }
}
