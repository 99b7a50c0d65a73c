package dev.kiln.systemtest;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the last lines of every running gateway's and worker's log when a test fails, so a CI log
 * shows what the processes under test did without downloading target/processes.
 */
public final class ProcessLogsOnFailure implements TestWatcher {

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    for (KilnCluster cluster : KilnCluster.open()) {
      System.err.println(
          "\n##### "
              + context.getDisplayName()
              + " failed: "
              + cause
              + "\n##### process logs (full logs in system-tests/target/processes/)"
              + cluster.logTails());
    }
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    // nothing to report
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    // nothing to report
  }
}
