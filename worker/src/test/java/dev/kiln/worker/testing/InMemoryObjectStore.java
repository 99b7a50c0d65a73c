package dev.kiln.worker.testing;

import dev.kiln.worker.storage.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An object store for unit tests: a fake of the store, never used by integration tests. */
public final class InMemoryObjectStore implements ObjectStore {

  public final Map<String, byte[]> objects = new ConcurrentHashMap<>();

  @Override
  public void put(String key, InputStream content, long size, String contentType)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    content.transferTo(out);
    if (out.size() != size) {
      throw new IOException("expected " + size + " bytes, got " + out.size());
    }
    objects.put(key, out.toByteArray());
  }

  @Override
  public InputStream open(String key) throws IOException {
    byte[] data = objects.get(key);
    if (data == null) {
      throw new IOException("no such key " + key);
    }
    return new ByteArrayInputStream(data);
  }

  @Override
  public void delete(String key) {
    objects.remove(key);
  }
}
