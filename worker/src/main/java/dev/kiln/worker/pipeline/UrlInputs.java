package dev.kiln.worker.pipeline;

import dev.kiln.model.messages.InputRef;
import dev.kiln.outbound.FetchException;
import dev.kiln.outbound.FetchedBody;
import dev.kiln.outbound.UrlFetcher;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens URL inputs for stages: downloads the whole body through the {@link UrlFetcher} (the SSRF
 * guard) into the run's scratch directory, then opens the copy. Fetching everything first means
 * every failure of the fetch surfaces in {@code openInput} with a precise code, the stage's own
 * reads cannot fail midway, and cancellation is checked between chunks of a slow download.
 */
final class UrlInputs {

  static final String INPUT_URL_FORBIDDEN = "INPUT_URL_FORBIDDEN";
  static final String INPUT_TOO_LARGE = "INPUT_TOO_LARGE";
  static final String INPUT_UNAVAILABLE = "INPUT_UNAVAILABLE";

  private UrlInputs() {}

  /**
   * @param checkCancelled throws {@link JobCancelledException} when the run must stop
   * @return the downloaded copy, deleted when the stream is closed (or with the scratch directory)
   */
  static InputStream download(
      UrlFetcher fetcher, InputRef input, Path scratch, Runnable checkCancelled)
      throws StageFailure {
    checkCancelled.run();
    Path copy;
    try {
      copy = Files.createTempFile(scratch, "input-", ".tmp");
    } catch (IOException e) {
      throw localFailure(input, e);
    }
    try {
      try (FetchedBody body = fetcher.open(input.url());
          OutputStream out = Files.newOutputStream(copy)) {
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = body.read(buf)) >= 0; ) {
          checkCancelled.run();
          out.write(buf, 0, n);
        }
      }
      return new DeletingStream(copy);
    } catch (FetchException e) {
      deleteQuietly(copy);
      // why: a timeout interrupts the stage thread, which surfaces as a failed read
      checkCancelled.run();
      throw fetchFailure(input, e);
    } catch (IOException e) {
      deleteQuietly(copy);
      checkCancelled.run();
      throw localFailure(input, e);
    } catch (RuntimeException e) {
      deleteQuietly(copy);
      throw e;
    }
  }

  private static StageFailure fetchFailure(InputRef input, FetchException e) {
    String what = "input " + input.name() + ": " + e.getMessage();
    return switch (e.kind()) {
      case FORBIDDEN -> new StageFailure(INPUT_URL_FORBIDDEN, what, false, e);
      case TOO_LARGE -> new StageFailure(INPUT_TOO_LARGE, what, false, e);
      case TRANSIENT -> new StageFailure(INPUT_UNAVAILABLE, what, true, e);
      case PERMANENT -> new StageFailure(INPUT_UNAVAILABLE, what, false, e);
    };
  }

  private static StageFailure localFailure(InputRef input, IOException e) {
    return new StageFailure(
        INPUT_UNAVAILABLE, "input " + input.name() + " could not be stored locally", true, e);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // why: the scratch directory is deleted with the run anyway
    }
  }

  private static final class DeletingStream extends FilterInputStream {
    private final Path file;

    DeletingStream(Path file) throws IOException {
      super(Files.newInputStream(file));
      this.file = file;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        deleteQuietly(file);
      }
    }
  }
}
