package dev.kiln.worker.config;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** The resolved id of this worker process. */
@Singleton
public class WorkerIdentity {

  // why: the id becomes part of a queue name and of every event source; keep it plain.
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private final String id;

  @Inject
  public WorkerIdentity(WorkerConfig config) {
    this(config.id().map(String::strip).filter(s -> !s.isEmpty()).orElseGet(() -> generated()));
  }

  WorkerIdentity(String id) {
    if (!VALID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "kiln.worker.id must match " + VALID.pattern() + ", got '" + id + "'");
    }
    this.id = id;
  }

  public String id() {
    return id;
  }

  static String generated() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "worker");
    }
    String clean = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    clean = clean.replaceAll("^[^a-z0-9]+", "");
    if (clean.isEmpty()) {
      clean = "worker";
    }
    if (clean.length() > 60) {
      clean = clean.substring(0, 60);
    }
    // why: several workers on one host (./kiln up) must not share a control queue.
    byte[] random = new byte[3];
    ThreadLocalRandom.current().nextBytes(random);
    return clean + "-" + HexFormat.of().formatHex(random);
  }
}
