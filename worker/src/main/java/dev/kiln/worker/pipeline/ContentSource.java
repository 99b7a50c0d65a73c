package dev.kiln.worker.pipeline;

import java.io.IOException;
import java.io.InputStream;

/**
 * Content that can be read more than once, so an upload interrupted by an object store outage can
 * start again from its first byte without buffering the content.
 */
@FunctionalInterface
public interface ContentSource {

  /** A new stream over the whole content, from its first byte; the caller closes it. */
  InputStream open() throws IOException;
}
