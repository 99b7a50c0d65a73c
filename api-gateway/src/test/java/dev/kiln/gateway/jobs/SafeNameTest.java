package dev.kiln.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Uploaded file names are client input: whatever they hold, the stored name is one safe segment.
 */
class SafeNameTest {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static String safe(String raw) {
    return SubmissionValidator.safeName(raw, new HashSet<>());
  }

  @Test
  void traversalAndAbsolutePathsKeepOnlyTheLastSegment() {
    assertThat(safe("../../etc/passwd")).isEqualTo("passwd");
    assertThat(safe("..\\..\\windows\\win.ini")).isEqualTo("win.ini");
    assertThat(safe("/var/lib/kiln/photo.png")).isEqualTo("photo.png");
    assertThat(safe("C:\\Users\\me\\photo.png")).isEqualTo("photo.png");
    assertThat(safe("photos/../../photo.png")).isEqualTo("photo.png");
  }

  @Test
  void namesThatAreOnlyDotsOrNothingGetAGeneratedName() {
    for (String raw : new String[] {null, "", "..", "....", "../..", "/", "\\", "a..b", "___"}) {
      assertThat(safe(raw)).as(String.valueOf(raw)).isEqualTo("input-1");
    }
  }

  @Test
  void controlsUnicodeAndSeparatorsBecomeUnderscoresAndLeadingOnesAreDropped() {
    assertThat(safe("a\u0000b.png")).isEqualTo("a_b.png");
    assertThat(safe("\u202egnp.exe")).isEqualTo("gnp.exe");
    assertThat(safe("x\r\nContent-Type: text/html")).isEqualTo("html");
    assertThat(safe("report\r\nX-Evil: 1.pdf")).isEqualTo("report__X-Evil__1.pdf");
    assertThat(safe("zero\u200bwidth.txt")).isEqualTo("zero_width.txt");
    assertThat(safe("%2e%2e%2fsecret")).isEqualTo("2e_2e_2fsecret");
    assertThat(safe("\ud83d\ude00.png")).isEqualTo("png");
    assertThat(safe(".hidden")).isEqualTo("hidden");
  }

  @Test
  void overlongNamesKeepTheirEndAndStaySafeWhenMadeUnique() {
    Set<String> taken = new HashSet<>();
    String first = SubmissionValidator.safeName("a".repeat(1000) + ".png", taken);
    String second = SubmissionValidator.safeName("a".repeat(1000) + ".png", taken);
    assertThat(first).endsWith(".png").hasSizeLessThanOrEqualTo(128);
    assertThat(second).isNotEqualTo(first).matches(SAFE);
  }

  @Test
  void everyHostileNameEndsAsOneSafeSegment() {
    String[] hostile = {
      "../../../../etc/shadow",
      "..%2f..%2fetc",
      "%00.png",
      "a\u0000/../b",
      "CON",
      "nul.txt",
      "' or 1=1 --.png",
      "${jndi:ldap://127.0.0.1/x}.png",
      "{{7*7}}.png",
      "<script>.html",
      "\ud800.png",
      "\udc00",
      "名前.png",
      "\u0130stanbul.txt",
      " leading space.png",
      "-rf",
      "a".repeat(5000),
      "./.",
      "..\u2215..\u2215etc",
      "x/y\\z:w*?\"<>|.png"
    };
    Set<String> taken = new HashSet<>();
    for (String raw : hostile) {
      String name = SubmissionValidator.safeName(raw, taken);
      assertThat(name).as(raw).matches(SAFE).doesNotContain("..");
    }
    assertThat(taken).hasSize(hostile.length);
  }
}
