package dev.kiln.model.jobtypes;

import dev.kiln.model.json.KilnJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Enumeration;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The job types known to this process, read from every {@code META-INF/kiln/job-types.index} on the
 * class path. Each index line names a descriptor resource.
 */
public final class JobTypeCatalog {

  public static final String INDEX = "META-INF/kiln/job-types.index";

  private final TreeMap<String, JobTypeDescriptor> byName = new TreeMap<>();

  private JobTypeCatalog() {}

  public static JobTypeCatalog fromClasspath() {
    return fromClasspath(Thread.currentThread().getContextClassLoader());
  }

  public static JobTypeCatalog fromClasspath(ClassLoader loader) {
    JobTypeCatalog catalog = new JobTypeCatalog();
    try {
      Enumeration<URL> indexes = loader.getResources(INDEX);
      while (indexes.hasMoreElements()) {
        URL index = indexes.nextElement();
        try (BufferedReader reader =
            new BufferedReader(new InputStreamReader(index.openStream(), StandardCharsets.UTF_8))) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String resource = line.strip();
            if (!resource.isEmpty() && !resource.startsWith("#")) {
              catalog.add(read(loader, resource));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read job type index", e);
    }
    return catalog;
  }

  private static JobTypeDescriptor read(ClassLoader loader, String resource) throws IOException {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("job type index names missing resource " + resource);
      }
      return KilnJson.mapper().readValue(in, JobTypeDescriptor.class);
    }
  }

  private void add(JobTypeDescriptor descriptor) {
    if (!descriptor.name().matches("[a-z][a-z0-9-]{0,39}")) {
      throw new IllegalStateException("invalid job type name " + descriptor.name());
    }
    byName.putIfAbsent(descriptor.name(), descriptor);
  }

  public Optional<JobTypeDescriptor> find(String name) {
    return Optional.ofNullable(name == null ? null : byName.get(name));
  }

  public Collection<JobTypeDescriptor> all() {
    return byName.values();
  }

  public Collection<String> names() {
    return byName.keySet();
  }
}
