package dev.kiln.worker.testing;

import dev.kiln.worker.storage.ObjectNotFoundException;
import dev.kiln.worker.storage.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An object store for unit tests: a fake of the store, never used by integration tests. */
public class InMemoryObjectStore implements ObjectStore {

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
  public InputStream open(String key, long offset) throws IOException {
    byte[] data = objects.get(key);
    if (data == null) {
      throw new ObjectNotFoundException(key);
    }
    ByteArrayInputStream in = new ByteArrayInputStream(data);
    in.skipNBytes(offset);
    return in;
  }

  @Override
  public void delete(String key) throws IOException {
    objects.remove(key);
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    return keys(prefix);
  }

  /** Keys under {@code prefix}, sorted; never fails. */
  public List<String> keys(String prefix) {
    return objects.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
  }
}
