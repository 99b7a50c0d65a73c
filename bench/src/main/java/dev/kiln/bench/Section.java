package dev.kiln.bench;

import java.util.List;

/**
 * One part of the suite, e.g. submit latency or the baselines. Each makes and cleans up what it
 * needs (a key, a stream, a scratch queue) so sections can run alone with {@code --only}.
 */
@FunctionalInterface
public interface Section {

  /**
   * @param target the platform
   * @param args the whole command line; a section reads the options it knows and ignores the rest
   */
  List<Measurement> run(BenchTarget target, String[] args) throws Exception;
}
