package dev.kiln.worker.extraction.parse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Units of measure in English, German, French, Dutch and the Nordic languages, each mapped to one
 * canonical English name.
 */
public final class Units {

  /**
   * A unit found at the start of a text.
   *
   * @param canonical canonical name ("tablespoon")
   * @param end index just after the unit (and its abbreviation dot)
   */
  public record Match(String canonical, int end) {}

  // why: one alias per "|"; aliases with spaces ("c. à soupe") are matched as a phrase
  private static final Map<String, String> ALIASES =
      Map.ofEntries(
          Map.entry("gram", "g|gr|gr.|grs|gram|grams|gramm|gramme|grammes|grammi|gramos"),
          Map.entry("kilogram", "kg|kgs|kilo|kilos|kilogram|kilograms|kilogramm|kilogramme"),
          Map.entry("milligram", "mg|milligram|milligrams|milligramm"),
          Map.entry("milliliter", "ml|mls|millilitre|millilitres|milliliter|milliliters"),
          Map.entry("centiliter", "cl|centilitre|centilitres|centiliter"),
          Map.entry("deciliter", "dl|decilitre|decilitres|deciliter"),
          Map.entry("liter", "l|lt|ltr|litre|litres|liter|liters"),
          Map.entry(
              "teaspoon",
              "tsp|tsps|tsp.|teaspoon|teaspoons|tl|tl.|teelöffel|theelepel|theelepels|theel.|c.à.c|c.à.c.|c-à-c|càc|cac|cc|c. à café|c. a café|c à café|c.à café|cuil. à café|cuillère à café|cuillères à café|cuillere a cafe|tsk|tsk.|tesked|teskeder|teskefuld"),
          Map.entry(
              "tablespoon",
              "tbsp|tbsps|tbsp.|tbs|tbl|tbl.|tablespoon|tablespoons|el|el.|esslöffel|eetlepel|eetlepels|eetl.|c.à.s|c.à.s.|c-à-s|càs|cas|cs|c. à soupe|c. a soupe|c à soupe|c.à soupe|cuil. à soupe|cuillère à soupe|cuillères à soupe|cuillere a soupe|msk|msk.|matsked|matskedar|spsk|spsk.|spiseskefuld"),
          Map.entry("cup", "cup|cups|c.|tasse|tassen|tasses|kopje|kopjes|kop|koppen"),
          Map.entry("fluid ounce", "floz|fl oz|fl. oz.|fl. oz|fluid ounce|fluid ounces"),
          Map.entry("ounce", "oz|oz.|ounce|ounces"),
          Map.entry("pound", "lb|lbs|lb.|lbs.|pound|pounds"),
          Map.entry("pint", "pint|pints|pt"),
          Map.entry("quart", "quart|quarts|qt"),
          Map.entry("gallon", "gallon|gallons|gal"),
          Map.entry(
              "pinch",
              "pinch|pinches|prise|prisen|pincée|pincées|pincee|snufje|snufjes|snuf|msp|msp.|messerspitze|nypa|knivspids"),
          Map.entry(
              "dash", "dash|dashes|splash|spritzer|schuss|scheut|scheutje|scheutjes|trait|skvätt"),
          Map.entry(
              "clove",
              "clove|cloves|zehe|zehen|gousse|gousses|teen|teentje|teentjes|tenen|klyfta|klyftor|fed"),
          Map.entry(
              "piece", "piece|pieces|pc|pcs|stück|stk|stk.|st.|stuk|stuks|pièce|pièces|styck"),
          Map.entry("bunch", "bunch|bunches|bund|bünde|bos|bosje|bosjes|botte|bottes|knippe"),
          Map.entry("can", "can|cans|tin|tins|dose|dosen|blik|blikken|boîte|boîtes|burk"),
          Map.entry(
              "package",
              "package|packages|pkg|pkg.|packet|packets|pack|packung|packungen|pck|pck.|päckchen|pak|pakje|pakjes|sachet|sachets|paquet|paquets|pkt|pakke"),
          Map.entry(
              "slice",
              "slice|slices|scheibe|scheiben|plak|plakken|plakje|plakjes|tranche|tranches|skiva|skivor"),
          Map.entry("sprig", "sprig|sprigs|zweig|zweige|takje|takjes|brin|brins|kvist|kvistar"),
          Map.entry("handful", "handful|handfuls|handvoll|handje|handjes|poignée|poignées"),
          Map.entry("stick", "stick|sticks"),
          Map.entry("stalk", "stalk|stalks|stange|stangen|stengel|stengels|branche|branches"),
          Map.entry("leaf", "leaf|leaves|blatt|blätter|blaadje|blaadjes|feuille|feuilles"),
          Map.entry("drop", "drop|drops|tropfen|druppel|druppels|goutte|gouttes"),
          Map.entry("jar", "jar|jars|glas|gläser|potje"));

  /** All aliases, longest first, so "tbsp" wins over "tbs" and "fl oz" over "floz". */
  private static final List<String[]> BY_LENGTH = new ArrayList<>();

  static {
    for (Map.Entry<String, String> e : ALIASES.entrySet()) {
      for (String alias : e.getValue().split("\\|")) {
        BY_LENGTH.add(new String[] {alias.toLowerCase(Locale.ROOT), e.getKey()});
      }
    }
    BY_LENGTH.sort(Comparator.comparingInt((String[] a) -> a[0].length()).reversed());
  }

  private Units() {}

  /** The unit at {@code from} in {@code text}, skipping leading spaces, or null. */
  public static Match at(String text, int from) {
    int start = from;
    while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    String rest = text.substring(start).toLowerCase(Locale.ROOT);
    for (String[] alias : BY_LENGTH) {
      String a = alias[0];
      if (rest.startsWith(a) && boundary(rest, a.length())) {
        int end = start + a.length();
        if (!a.endsWith(".") && end < text.length() && text.charAt(end) == '.') {
          end++;
        }
        return new Match(alias[1], end);
      }
    }
    return null;
  }

  /** The canonical name of a unit word ("EL" gives "tablespoon"), or null. */
  public static String canonical(String word) {
    Match m = at(word, 0);
    return m != null && m.end() >= word.strip().length() ? m.canonical() : null;
  }

  private static boolean boundary(String s, int index) {
    if (index >= s.length()) {
      return true;
    }
    char c = s.charAt(index);
    return !Character.isLetterOrDigit(c) && c != '-' && c != '\'' && c != '’';
  }
}
