package dev.kiln.worker.extraction.pipeline;

import dev.kiln.model.messages.InputRef;
import dev.kiln.outbound.FetchException;
import dev.kiln.outbound.FetchedBody;
import dev.kiln.outbound.UrlFetcher;
import dev.kiln.worker.pipeline.StageContext;
import dev.kiln.worker.pipeline.StageFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * The fetch stage's work: the page from its URL (through the SSRF guard, with the extraction's own
 * size, time and redirect limits) or from the uploaded file, checked to be HTML and decoded.
 */
final class PageFetcher {

  static final String FETCH_TIMEOUT = "FETCH_TIMEOUT";
  static final String FETCH_TOO_LARGE = "FETCH_TOO_LARGE";
  static final String FETCH_HTTP_STATUS = "FETCH_HTTP_STATUS";
  static final String FETCH_FORBIDDEN_ADDRESS = "FETCH_FORBIDDEN_ADDRESS";
  static final String FETCH_FAILED = "FETCH_FAILED";
  static final String UNSUPPORTED_CONTENT_TYPE = "UNSUPPORTED_CONTENT_TYPE";

  /** why: pages served without a type are common enough, and their bytes are sniffed below. */
  private static final Set<String> HTML_TYPES =
      Set.of("text/html", "application/xhtml+xml", "application/xml", "text/xml", "");

  private final UrlFetcher fetcher;
  private final long maxBytes;

  PageFetcher(UrlFetcher fetcher, long maxBytes) {
    this.fetcher = fetcher;
    this.maxBytes = maxBytes;
  }

  PageSource fetch(InputRef input, StageContext ctx) throws StageFailure {
    if (input.url() != null) {
      return fromUrl(input.url(), ctx::checkCancelled);
    }
    byte[] bytes;
    try (InputStream in = ctx.openInput(input)) {
      bytes = readCapped(in, input.name());
    } catch (IOException e) {
      throw new StageFailure(FETCH_FAILED, "the uploaded page could not be read", true, e);
    }
    return decode(URI.create("file:///" + input.name()), bytes, input.contentType());
  }

  /**
   * @param checkCancelled throws when the run must stop; called between chunks of the body
   */
  PageSource fromUrl(String url, Runnable checkCancelled) throws StageFailure {
    try (FetchedBody body = fetcher.open(url)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = body.read(buf)) >= 0; ) {
        checkCancelled.run();
        out.write(buf, 0, n);
      }
      return decode(URI.create(url), out.toByteArray(), body.contentType());
    } catch (FetchException e) {
      // why: a cancelled run's interrupted read surfaces as a failed fetch; the cancel wins
      checkCancelled.run();
      throw failure(e);
    } catch (IOException e) {
      throw new StageFailure(FETCH_FAILED, "the page could not be read", true, e);
    }
  }

  /** Each way a fetch can fail has its own code; the guard's message never names an address. */
  static StageFailure failure(FetchException e) {
    if (e.isTimeout()) {
      return new StageFailure(FETCH_TIMEOUT, e.getMessage(), true, e);
    }
    if (e.httpStatus() > 0) {
      return new StageFailure(
          FETCH_HTTP_STATUS, e.getMessage(), e.kind() == FetchException.Kind.TRANSIENT, e);
    }
    return switch (e.kind()) {
      case FORBIDDEN -> new StageFailure(FETCH_FORBIDDEN_ADDRESS, e.getMessage(), false, e);
      case TOO_LARGE -> new StageFailure(FETCH_TOO_LARGE, e.getMessage(), false, e);
      case TRANSIENT -> new StageFailure(FETCH_FAILED, e.getMessage(), true, e);
      case PERMANENT -> new StageFailure(FETCH_FAILED, e.getMessage(), false, e);
    };
  }

  private byte[] readCapped(InputStream in, String name) throws IOException, StageFailure {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    if (bytes.length > maxBytes) {
      throw new StageFailure(
          FETCH_TOO_LARGE, "the page " + name + " is larger than " + maxBytes + " bytes", false);
    }
    return bytes;
  }

  static PageSource decode(URI url, byte[] bytes, String contentType) throws StageFailure {
    String type =
        contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!HTML_TYPES.contains(type) || !looksLikeMarkup(bytes)) {
      throw new StageFailure(
          UNSUPPORTED_CONTENT_TYPE,
          "the page is "
              + (type.isEmpty() ? "not HTML" : type)
              + "; extraction reads text/html and application/xhtml+xml",
          false);
    }
    var charset = PageCharsets.detect(contentType, bytes);
    return new PageSource(
        url, bytes, type.isEmpty() ? "text/html" : type, charset, new String(bytes, charset));
  }

  /** A page whose first bytes hold no tag is not HTML, whatever its header says. */
  private static boolean looksLikeMarkup(byte[] bytes) {
    int limit = Math.min(bytes.length, 1024);
    for (int i = 0; i < limit; i++) {
      if (bytes[i] == '<') {
        return true;
      }
    }
    return false;
  }
}
