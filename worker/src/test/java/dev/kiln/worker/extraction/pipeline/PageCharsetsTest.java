package dev.kiln.worker.extraction.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PageCharsetsTest {

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  @Test
  void theHeadersCharsetWinsOverTheMetaTag() {
    byte[] page = "<meta charset=\"utf-8\"><p>x</p>".getBytes(StandardCharsets.US_ASCII);

    assertThat(PageCharsets.detect("text/html; charset=ISO-8859-15", page))
        .isEqualTo(Charset.forName("ISO-8859-15"));
  }

  @Test
  void aMetaDeclarationIsReadWhenTheHeaderNamesNone() {
    byte[] page =
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">"
            .getBytes(StandardCharsets.US_ASCII);

    assertThat(PageCharsets.detect("text/html", page)).isEqualTo(Charset.forName("windows-1251"));
  }

  @Test
  void aByteOrderMarkWinsOverEverything() {
    byte[] page = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '<', 'p', '>'};

    assertThat(PageCharsets.detect("text/html; charset=windows-1252", page))
        .isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void undeclaredBytesAreUtf8WhenValidElseWindows1252() {
    assertThat(PageCharsets.detect(null, "<p>Gr\u00fc\u00dfe</p>".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(StandardCharsets.UTF_8);
    assertThat(
            PageCharsets.detect(
                null, "<p>Gr\u00fc\u00dfe</p>".getBytes(StandardCharsets.ISO_8859_1)))
        .isEqualTo(WINDOWS_1252);
  }

  @Test
  void latin1LabelsMeanWindows1252AsInBrowsers() {
    assertThat(PageCharsets.detect("text/html; charset=iso-8859-1", new byte[] {'<'}))
        .isEqualTo(WINDOWS_1252);
  }
}
