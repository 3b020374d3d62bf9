package dev.tessera.idioms;

import dev.tessera.cluster.Cluster;
import dev.tessera.cluster.ClusterOptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One local cluster of two worker nodes (two engines) of four task threads each for the cluster
 * subclasses of the idioms' contract
 * tests in this test JVM: {@code @ExtendWith(SharedCluster.class)} on the class, and a
 * {@code @BeforeAll static void start(Cluster cluster)} receives it. Started by the first class
 * that asks (a cluster start costs about 10 s), closed by JUnit when the whole run ends (a
 * value of the root store that is {@link AutoCloseable}), which stops the worker JVMs and the
 * client node's threads. The classes must not kill its workers: a test that does, or that
 * needs another number of engines (the views select engines 0 and 2), starts a cluster of its
 * own. Four task threads a node: the futures client starts independent submissions in no
 * fixed order, and joblib's first-failure test needs its seven calls running at once (with one
 * thread a node, its failing call could queue behind all six 3 s calls).
 */
public final class SharedCluster implements ParameterResolver {
  private static final ExtensionContext.Namespace HERE =
      ExtensionContext.Namespace.create(SharedCluster.class);

  /** Creates the extension (JUnit does). */
  public SharedCluster() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Cluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(HERE)
        .getOrComputeIfAbsent("cluster", k -> Cluster.local(ClusterOptions.builder().workers(2)
            .threads(4).build()), Cluster.class);
  }
}
