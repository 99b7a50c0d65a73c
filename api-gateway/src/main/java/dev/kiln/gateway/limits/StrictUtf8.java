package dev.kiln.gateway.limits;

import dev.kiln.gateway.problems.ProblemException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * JSON bodies must be well-formed UTF-8 (RFC 8259 §8.1). why: the JSON parser decodes leniently: it
 * reads the overlong {@code C0 AF} as '/', and guesses UTF-16 from NUL bytes. A filter that checks
 * the text and a parser that reads it must see the same characters, so the bytes are checked
 * strictly before parsing. Bodies are small here: JSON is capped at {@code kiln.http.max-json-body}
 * and must declare its length.
 */
@Provider
public class StrictUtf8 implements ReaderInterceptor {

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    MediaType type = context.getMediaType();
    if (type == null
        || !("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"))) {
      return context.proceed();
    }
    byte[] body = context.getInputStream().readAllBytes();
    if (!isStrictUtf8(body)) {
      throw new ProblemException(
          400,
          "MALFORMED_JSON",
          "Malformed JSON",
          "the body is not valid UTF-8 (overlong forms, surrogates and NUL bytes are refused)");
    }
    context.setInputStream(new ByteArrayInputStream(body));
    return context.proceed();
  }

  /** Well-formed UTF-8 without NUL bytes, which JSON text never holds unescaped. */
  public static boolean isStrictUtf8(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
