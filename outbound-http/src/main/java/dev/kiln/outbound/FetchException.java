package dev.kiln.outbound;

import java.io.IOException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLHandshakeException;

/**
 * A fetch that did not deliver the body. The message names at most the URL's host: never a resolved
 * address, an internal range or a server's reply, which would let a client probe the worker's
 * network. Shared by every outbound request (fetches and webhook calls).
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

  /** The failure of a connection or exchange with {@code host}, classified for retrying. */
  static FetchException failed(String host, IOException e) {
    if (e instanceof FetchException f) {
      return f;
    }
    if (e instanceof SocketTimeoutException) {
      return new FetchException(Kind.TRANSIENT, "the request to " + host + " timed out", e);
    }
    if (e instanceof SSLHandshakeException) {
      // why: a certificate that does not match or is not trusted will not fix itself on retry
      return new FetchException(Kind.PERMANENT, "the TLS handshake with " + host + " failed", e);
    }
    return new FetchException(Kind.TRANSIENT, "the connection to " + host + " failed", e);
  }
}
