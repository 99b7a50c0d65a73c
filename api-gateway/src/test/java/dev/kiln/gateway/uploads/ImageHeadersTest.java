package dev.kiln.gateway.uploads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageHeadersTest {

  private static ImageHeaders.Size read(ContentKind kind, byte[] bytes) throws IOException {
    assertThat(ContentSniffer.sniff(bytes)).isEqualTo(kind);
    return ImageHeaders.read(kind, new ByteArrayInputStream(bytes));
  }

  @Test
  void aTinyPngClaimingTenGigapixelsIsReadAsSuch() throws IOException {
    byte[] bomb = TestImages.png(100_000, 100_000);
    assertThat(bomb.length).isLessThan(64);
    assertThat(read(ContentKind.PNG, bomb)).isEqualTo(new ImageHeaders.Size(100_000, 100_000));
    assertThat(read(ContentKind.PNG, bomb).pixels()).isEqualTo(10_000_000_000L);
  }

  @Test
  void pngSizesAreUnsigned() throws IOException {
    assertThat(read(ContentKind.PNG, TestImages.png(0xffff_ffffL, 1)).width())
        .isEqualTo(0xffff_ffffL);
  }

  @Test
  void aJpegFrameHeaderAfterManyAppSegmentsIsFound() throws IOException {
    byte[] jpeg = TestImages.jpeg(4000, 3000, 5, 60_000);
    assertThat(read(ContentKind.JPEG, jpeg)).isEqualTo(new ImageHeaders.Size(4000, 3000));
  }

  @Test
  void gifAndTheThreeWebpFlavoursAndTiffDeclareTheirSize() throws IOException {
    assertThat(read(ContentKind.GIF, TestImages.gif(640, 480)))
        .isEqualTo(new ImageHeaders.Size(640, 480));
    assertThat(read(ContentKind.WEBP, TestImages.webpExtended(16_000_000, 3)))
        .isEqualTo(new ImageHeaders.Size(16_000_000, 3));
    assertThat(read(ContentKind.WEBP, TestImages.webpLossless(16_384, 16_384)))
        .isEqualTo(new ImageHeaders.Size(16_384, 16_384));
    assertThat(read(ContentKind.WEBP, TestImages.webpLossy(1920, 1080)))
        .isEqualTo(new ImageHeaders.Size(1920, 1080));
    assertThat(read(ContentKind.TIFF, TestImages.tiff(70_000, 70_000, true)))
        .isEqualTo(new ImageHeaders.Size(70_000, 70_000));
    assertThat(read(ContentKind.TIFF, TestImages.tiff(10, 20, false)))
        .isEqualTo(new ImageHeaders.Size(10, 20));
  }

  @Test
  void truncatedHeadersAreMalformedNotErrors() {
    byte[][] cases = {
      Arrays.copyOf(TestImages.png(10, 10), 20),
      Arrays.copyOf(TestImages.jpeg(10, 10, 1, 100), 50),
      Arrays.copyOf(TestImages.gif(10, 10), 8),
      Arrays.copyOf(TestImages.webpExtended(10, 10), 22),
      Arrays.copyOf(TestImages.webpLossless(10, 10), 21),
      Arrays.copyOf(TestImages.tiff(10, 10, true), 12),
    };
    ContentKind[] kinds = {
      ContentKind.PNG,
      ContentKind.JPEG,
      ContentKind.GIF,
      ContentKind.WEBP,
      ContentKind.WEBP,
      ContentKind.TIFF
    };
    for (int i = 0; i < cases.length; i++) {
      byte[] bytes = cases[i];
      ContentKind kind = kinds[i];
      assertThatThrownBy(() -> ImageHeaders.read(kind, new ByteArrayInputStream(bytes)))
          .as(kind.name())
          .isInstanceOf(ImageHeaders.MalformedImageException.class);
    }
  }

  @Test
  void aJpegWithoutFrameHeaderOrWithBrokenSegmentsIsMalformed() {
    byte[] noFrame = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xda, 0, 2};
    byte[] badLength = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 1};
    byte[] noMarker = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 2, 0x41};
    for (byte[] bytes : new byte[][] {noFrame, badLength, noMarker}) {
      assertThatThrownBy(() -> ImageHeaders.read(ContentKind.JPEG, new ByteArrayInputStream(bytes)))
          .isInstanceOf(ImageHeaders.MalformedImageException.class);
    }
  }

  @Test
  void emptyCanvasesAndAPngWithoutIhdrAreMalformed() {
    byte[] zero = TestImages.png(0, 10);
    byte[] noIhdr = TestImages.png(10, 10);
    noIhdr[12] = 'X';
    for (byte[] bytes : new byte[][] {zero, noIhdr}) {
      assertThatThrownBy(() -> ImageHeaders.read(ContentKind.PNG, new ByteArrayInputStream(bytes)))
          .isInstanceOf(ImageHeaders.MalformedImageException.class);
    }
  }

  @Test
  void sniffingGoesByBytesNotByClaims() {
    assertThat(ContentSniffer.sniff("%PDF-1.7\n".getBytes())).isEqualTo(ContentKind.PDF);
    assertThat(ContentSniffer.sniff(new byte[] {'P', 'K', 3, 4, 0})).isEqualTo(ContentKind.ZIP);
    assertThat(ContentSniffer.sniff("glTF\2\0\0\0".getBytes())).isEqualTo(ContentKind.GLB);
    assertThat(ContentSniffer.sniff("<!doctype html><p>hi</p>".getBytes()))
        .isEqualTo(ContentKind.TEXT);
    assertThat(ContentSniffer.sniff("h\u00e9llo".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(ContentKind.TEXT);
    // Latin-1 text is still text; binary data is not
    assertThat(ContentSniffer.sniff(new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'}))
        .isEqualTo(ContentKind.TEXT);
    assertThat(ContentSniffer.sniff(new byte[] {'a', 0, 'b'})).isEqualTo(ContentKind.UNKNOWN);
    assertThat(ContentSniffer.sniff(new byte[] {0x1b, '[', '2', 'J'}))
        .isEqualTo(ContentKind.UNKNOWN);
    // a signature cut short is no signature
    assertThat(ContentSniffer.sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
        .isEqualTo(ContentKind.TEXT);
    assertThat(ContentSniffer.sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a}))
        .isEqualTo(ContentKind.UNKNOWN);
  }

  @Test
  void claimsComeFromMediaTypesAndExtensions() {
    assertThat(ContentKind.ofMediaType("IMAGE/PNG; foo=bar")).contains(ContentKind.PNG);
    assertThat(ContentKind.ofMediaType("text/html")).contains(ContentKind.TEXT);
    assertThat(ContentKind.ofMediaType("application/octet-stream")).isEmpty();
    assertThat(ContentKind.ofFileName("C:\\photos\\cat.JPG")).contains(ContentKind.JPEG);
    assertThat(ContentKind.ofFileName("../../x.png")).contains(ContentKind.PNG);
    assertThat(ContentKind.ofFileName("archive.tar.gz")).isEmpty();
    assertThat(ContentKind.ofFileName("noextension")).isEmpty();
  }
}
