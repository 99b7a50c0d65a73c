package dev.kiln.worker.extraction.page;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Finds schema.org objects in a page's JSON-LD blocks: plain objects, arrays, {@code @graph}
 * containers and objects nested in other objects ({@code mainEntity}), with {@code @id} references
 * resolved.
 */
public final class JsonLdReader {

  // why: pages hand-write or template their JSON-LD; raw newlines in strings, trailing commas and
  // comments are common and browsers' consumers (search engines) accept them.
  private static final ObjectMapper LENIENT =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
          .enable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
          .build();

  private static final int MAX_DEPTH = 40;

  private final List<JsonNode> roots = new ArrayList<>();
  private final Map<String, JsonNode> byId = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();

  /** Reads the page's JSON-LD script blocks, the standard place for JSON-LD in HTML. */
  public JsonLdReader(Document document) {
    this(document, false);
  }

  /**
   * @param metaElements read JSON-LD that a page renders into {@code <meta
   *     name="application/ld+json" content="...">} instead of its script blocks; not a standard
   *     embedding, so callers trust it less than the page's visible content
   */
  public JsonLdReader(Document document, boolean metaElements) {
    if (metaElements) {
      for (Element meta : document.select("meta[name=application/ld+json][content]")) {
        parse(meta.attr("content"));
      }
    } else {
      for (Element script : document.select("script[type]")) {
        if (script.attr("type").toLowerCase(Locale.ROOT).contains("ld+json")) {
          parse(script.data());
        }
      }
    }
    for (JsonNode root : roots) {
      index(root, 0);
    }
  }

  public List<String> warnings() {
    return warnings;
  }

  /** Every object of the given schema.org type, in document order. */
  public List<JsonNode> objectsOfType(String type) {
    List<JsonNode> found = new ArrayList<>();
    Deque<JsonNode> pending = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    for (int i = roots.size() - 1; i >= 0; i--) {
      pending.push(roots.get(i));
      depths.push(0);
    }
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      int depth = depths.pop();
      if (depth > MAX_DEPTH) {
        continue;
      }
      if (node.isObject() && SchemaRecipeMapper.types(node).contains(type)) {
        found.add(node);
        continue;
      }
      if (node.isContainerNode()) {
        List<JsonNode> children = new ArrayList<>();
        node.forEach(children::add);
        for (int i = children.size() - 1; i >= 0; i--) {
          pending.push(children.get(i));
          depths.push(depth + 1);
        }
      }
    }
    return found;
  }

  /** A mapper that resolves references against this page's JSON-LD. */
  public SchemaRecipeMapper mapper() {
    return new SchemaRecipeMapper(this::resolve);
  }

  JsonNode resolve(JsonNode node) {
    if (node != null && node.isObject() && node.size() <= 2 && node.has("@id")) {
      JsonNode target = byId.get(node.get("@id").asText());
      if (target != null) {
        return target;
      }
    }
    return node;
  }

  private void parse(String text) {
    String json = unwrap(text);
    if (json.isEmpty()) {
      return;
    }
    try (MappingIterator<JsonNode> values = LENIENT.readerFor(JsonNode.class).readValues(json)) {
      while (values.hasNextValue()) {
        roots.add(values.nextValue());
      }
    } catch (IOException | RuntimeException e) {
      warnings.add("unreadable JSON-LD block: " + firstLine(e.getMessage()));
    }
  }

  /** Strips HTML comment and CDATA wrappers some pages put around the JSON. */
  private static String unwrap(String text) {
    String s = text.strip();
    for (String prefix : new String[] {"<!--", "//<![CDATA[", "<![CDATA["}) {
      if (s.startsWith(prefix)) {
        s = s.substring(prefix.length()).strip();
      }
    }
    for (String suffix : new String[] {"-->", "//]]>", "]]>"}) {
      if (s.endsWith(suffix)) {
        s = s.substring(0, s.length() - suffix.length()).strip();
      }
    }
    if (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private void index(JsonNode node, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    if (node.isObject() && node.has("@id") && node.size() > 2) {
      byId.putIfAbsent(node.get("@id").asText(), node);
    }
    if (node.isContainerNode()) {
      node.forEach(child -> index(child, depth + 1));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
