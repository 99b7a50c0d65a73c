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
  private final int httpStatus;
  private final boolean timeout;

  public FetchException(Kind kind, String message) {
    this(kind, message, null, 0, false);
  }

  public FetchException(Kind kind, String message, Throwable cause) {
    this(kind, message, cause, 0, false);
  }

  private FetchException(
      Kind kind, String message, Throwable cause, int httpStatus, boolean timeout) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.timeout = timeout;
  }

  /** The fetch ran out of time (connect, read or the whole-fetch budget); worth a retry. */
  public static FetchException timedOut(String message, Throwable cause) {
    return new FetchException(Kind.TRANSIENT, message, cause, 0, true);
  }

  /** The server answered with a status that is neither success nor redirect. */
  public static FetchException httpStatus(String host, int status) {
    boolean later = status >= 500 || status == 408 || status == 429;
    return new FetchException(
        later ? Kind.TRANSIENT : Kind.PERMANENT,
        host + " answered HTTP " + status,
        null,
        status,
        false);
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status the server answered, or 0 when the failure was not an HTTP answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Whether the fetch failed by running out of time. */
  public boolean isTimeout() {
    return timeout;
  }

  /** The failure of a connection or exchange with {@code host}, classified for retrying. */
  static FetchException failed(String host, IOException e) {
    if (e instanceof FetchException f) {
      return f;
    }
    if (e instanceof SocketTimeoutException) {
      return timedOut("the request to " + host + " timed out", e);
    }
    if (e instanceof SSLHandshakeException) {
      // why: a certificate that does not match or is not trusted will not fix itself on retry
      return new FetchException(Kind.PERMANENT, "the TLS handshake with " + host + " failed", e);
    }
    return new FetchException(Kind.TRANSIENT, "the connection to " + host + " failed", e);
  }
}
