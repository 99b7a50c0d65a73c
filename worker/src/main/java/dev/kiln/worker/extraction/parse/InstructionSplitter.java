package dev.kiln.worker.extraction.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits an instruction text into steps: at HTML list items, paragraphs and line breaks, and a
 * single line at its step numbers ("1. Mix. 2. Bake.").
 */
public final class InstructionSplitter {

  private static final String LABEL = "(?:step|schritt|étape|etape|stap|paso|passo|krok|steg)";
  // "3", "Step 3", "Étape 3/8", "Step 3 of 8"
  private static final Pattern ORDINAL_ONLY =
      Pattern.compile(
          "(?i)^(?:"
              + LABEL
              + "\\s*)?\\d{1,2}\\s*(?:(?:/|of|von|sur|van|de)\\s*\\d{1,2})?\\s*[.):]?$|^"
              + LABEL
              + "\\s*\\d{0,2}\\s*[.):]?$");
  private static final Pattern HARD_BREAK = Pattern.compile("[\\r\\n]+");
  private static final Pattern STEP_LABEL =
      Pattern.compile("(?i)^" + LABEL + "\\s*\\d{0,2}\\s*[.):]?$");
  private static final Pattern NUMBERED_LINE =
      Pattern.compile("(?i)^(?:" + LABEL + "\\s*)?(\\d{1,2})\\s*[.):]\\s+(?=\\S)");
  private static final Pattern INLINE_NUMBER =
      Pattern.compile("(?:^|(?<=[.!?:])\\s+)(\\d{1,2})[.)]\\s+(?=\\p{Lu})");

  private InstructionSplitter() {}

  /** The steps of a text, in order, without empty ones. */
  public static List<String> split(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : TextCleaner.lines(text)) {
      if (!isOrdinalLabel(line)) {
        lines.add(line);
      }
    }
    if (lines.size() == 1) {
      List<String> numbered = splitInlineNumbers(lines.get(0));
      if (numbered.size() > 1) {
        return numbered;
      }
    }
    return stripSequentialNumbers(lines);
  }

  /**
   * The lines of one step's text: only CR and LF split it (a page's HowToStep with two lines is two
   * steps), tags and other breaks become spaces.
   */
  public static List<String> splitHardBreaks(String text) {
    List<String> steps = new ArrayList<>();
    if (text == null) {
      return steps;
    }
    for (String part : HARD_BREAK.split(text)) {
      String clean = TextCleaner.clean(part);
      if (clean != null && !isOrdinalLabel(clean)) {
        steps.add(clean);
      }
    }
    return steps;
  }

  /** "3", "Step 3", "Schritt 3:" — a label that carries nothing but the step's position. */
  public static boolean isOrdinalLabel(String text) {
    return ORDINAL_ONLY.matcher(text.strip()).matches();
  }

  /** "Step 3", "Schritt 3", "Étape 3" — a worded position label (a bare "3" is not one). */
  public static boolean isStepLabel(String text) {
    return STEP_LABEL.matcher(text.strip()).matches();
  }

  private static List<String> splitInlineNumbers(String line) {
    Matcher m = INLINE_NUMBER.matcher(line);
    List<int[]> marks = new ArrayList<>();
    int expected = 1;
    while (m.find()) {
      if (Integer.parseInt(m.group(1)) == expected) {
        marks.add(new int[] {m.start(), m.end()});
        expected++;
      }
    }
    List<String> steps = new ArrayList<>();
    if (marks.size() < 2) {
      return steps;
    }
    String preface = line.substring(0, marks.get(0)[0]).strip();
    if (!preface.isEmpty()) {
      steps.add(preface);
    }
    for (int i = 0; i < marks.size(); i++) {
      int end = i + 1 < marks.size() ? marks.get(i + 1)[0] : line.length();
      String step = line.substring(marks.get(i)[1], end).strip();
      if (!step.isEmpty()) {
        steps.add(step);
      }
    }
    return steps;
  }

  /** Drops "1." "2." prefixes when every line carries them in sequence. */
  private static List<String> stripSequentialNumbers(List<String> lines) {
    if (lines.size() < 2) {
      return lines;
    }
    List<String> stripped = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = NUMBERED_LINE.matcher(lines.get(i));
      if (!m.find() || Integer.parseInt(m.group(1)) != i + 1) {
        return lines;
      }
      stripped.add(lines.get(i).substring(m.end()));
    }
    return stripped;
  }
}
