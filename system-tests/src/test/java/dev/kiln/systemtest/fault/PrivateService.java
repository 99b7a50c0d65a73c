package dev.kiln.systemtest.fault;

import java.util.List;

/** A backing service the suite runs itself, so it can stop and start it as a fault. */
interface PrivateService extends AutoCloseable {

  String name();

  /** Takes the service down (the outage begins); its data stays. */
  void stop();

  /** Brings it back on the same data; returns once it accepts connections. */
  void start();

  List<String> logTail(int lines);

  /** Stops it however it can and removes its data. */
  @Override
  void close();
}
