package dev.kiln.worker.extraction.pipeline;

import java.net.URI;
import java.nio.charset.Charset;

/**
 * A page as fetched or uploaded.
 *
 * @param url where the page came from: the URL asked for, or a {@code file:} name for uploads;
 *     relative links in the page resolve against it
 * @param bytes the body exactly as received, stored as {@code source.html}
 * @param contentType the media type without parameters, e.g. {@code text/html}
 * @param charset how {@code bytes} became {@code html}
 * @param html the decoded page
 */
record PageSource(URI url, byte[] bytes, String contentType, Charset charset, String html) {}
