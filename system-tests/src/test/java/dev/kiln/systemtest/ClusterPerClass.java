package dev.kiln.systemtest;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link KilnCluster} for a whole test class: started before its first test (named after the
 * class, so its logs are found under that name) and closed after its last, even when a test failed.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClusterPerClass CLUSTER = ClusterPerClass.of(c -> c.gateways(1).workers(2));
 * }</pre>
 */
public final class ClusterPerClass implements BeforeAllCallback, AfterAllCallback {

  private final UnaryOperator<KilnCluster.Builder> shape;
  private KilnCluster cluster;

  private ClusterPerClass(UnaryOperator<KilnCluster.Builder> shape) {
    this.shape = shape;
  }

  /** A cluster shaped by {@code shape} (gateways, workers, environment). */
  public static ClusterPerClass of(UnaryOperator<KilnCluster.Builder> shape) {
    return new ClusterPerClass(shape);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster =
        shape.apply(KilnCluster.builder(context.getRequiredTestClass().getSimpleName())).start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }

  /** The running cluster; only inside the class's tests. */
  public KilnCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("the cluster runs only while its test class does");
    }
    return cluster;
  }

  /** The public API of the first gateway. */
  public KilnApi api() {
    return cluster().api(0);
  }
}
