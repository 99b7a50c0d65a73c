package dev.kiln.worker.fetch;

import java.io.IOException;

/**
 * A fetch that did not deliver the body. The message names at most the URL's host: never a resolved
 * address, an internal range or a server's reply, which would let a client probe the worker's
 * network.
 */
public final class FetchException extends IOException {

  /** What went wrong, which decides whether running the job again may help. */
  public enum Kind {
    /** The guard refused the URL or an address it leads to. */
    FORBIDDEN,
    /** The body is larger than allowed. */
    TOO_LARGE,
    /** Timeout, connection failure, 5xx, 408, 429, a cut-off body: may work later. */
    TRANSIENT,
    /** Any other refusal by the server (4xx, too many redirects): will not work later. */
    PERMANENT
  }

  private final Kind kind;

  public FetchException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public FetchException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
