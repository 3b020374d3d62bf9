package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.graph.Lazy;
import dev.tessera.graph.Tessera;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension for collection modules' tests that results on worker processes equal those
 * on threads: starts a pool of two worker JVMs and a two-thread scheduler before a test class
 * and closes both after it.
 *
 * <pre>{@code
 * @RegisterExtension static final ProcessesAndThreads both = new ProcessesAndThreads();
 * ...
 * both.assertSame(x.sum(), x.mean());
 * }</pre>
 */
public final class ProcessesAndThreads implements BeforeAllCallback, AfterAllCallback {
  private ProcessScheduler processes;
  private ThreadedScheduler threads;

  @Override
  public void beforeAll(ExtensionContext context) {
    processes = Schedulers.processes(2);
    threads = Schedulers.threads(2);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    processes.close();
    threads.close();
  }

  /** {@return the pool of worker JVMs} */
  public ProcessScheduler processes() {
    return processes;
  }

  /** {@return the threaded scheduler} */
  public ThreadedScheduler threads() {
    return threads;
  }

  /**
   * Computes the collections on both schedulers and checks each pair of values with
   * {@code same} (expected from threads, actual from processes).
   *
   * @param same the check of one pair
   * @param collections the collections, computed together on each scheduler
   */
  public void assertSame(BiConsumer<Object, Object> same, Lazy<?>... collections) {
    List<Lazy<?>> list = List.of(collections);
    List<Object> expected = Tessera.compute(list, threads);
    List<Object> actual = Tessera.compute(list, processes);
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      same.accept(expected.get(i), actual.get(i));
    }
  }

  /**
   * Like {@link #assertSame(BiConsumer, Lazy...)}, with {@code equals}.
   *
   * @param collections the collections
   */
  public void assertSame(Lazy<?>... collections) {
    assertSame((e, a) -> assertEquals(e, a), collections);
  }
}
