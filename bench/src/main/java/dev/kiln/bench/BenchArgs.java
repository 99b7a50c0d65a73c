package dev.kiln.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The suite's command line: {@code --name value} pairs and a few flags. Every section reads the
 * same arguments and picks what it knows; an option no section reads is an error the suite reports
 * before anything runs.
 */
public final class BenchArgs {

  /** Options that take no value. */
  static final Set<String> FLAGS = Set.of("--no-write");

  private final String[] args;

  public BenchArgs(String[] args) {
    this.args = args.clone();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected an option, got " + args[i]);
      }
      if (!FLAGS.contains(args[i])) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        i++;
      }
    }
  }

  public String[] raw() {
    return args.clone();
  }

  public boolean flag(String name) {
    return Arrays.asList(args).contains(name);
  }

  /** The last value given for {@code name}, or {@code fallback}. */
  public String text(String name, String fallback) {
    String value = fallback;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name) && !FLAGS.contains(name)) {
        value = args[++i];
      } else if (!FLAGS.contains(args[i])) {
        i++;
      }
    }
    return value;
  }

  public int integer(String name, int fallback) {
    String v = text(name, null);
    return v == null ? fallback : Integer.parseInt(v);
  }

  public double number(String name, double fallback) {
    String v = text(name, null);
    return v == null ? fallback : Double.parseDouble(v);
  }

  /** A comma-separated list, empty when absent. */
  public List<String> list(String name) {
    String v = text(name, null);
    List<String> items = new ArrayList<>();
    if (v != null) {
      for (String item : v.split(",")) {
        if (!item.isBlank()) {
          items.add(item.strip());
        }
      }
    }
    return items;
  }

  /** The run length in seconds that sustained measurements use (--duration, default 60). */
  public double duration() {
    return number("--duration", 60);
  }

  /** The option names given, for the check that each is known. */
  List<String> names() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      names.add(args[i]);
      if (!FLAGS.contains(args[i])) {
        i++;
      }
    }
    return names;
  }
}
