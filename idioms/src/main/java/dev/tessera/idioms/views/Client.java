package dev.tessera.idioms.views;

import dev.tessera.graph.Scheduler;
import dev.tessera.graph.spi.Engines;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The entry point of ipyparallel-style programming, as ipyparallel's {@code Client}: the
 * engines of a scheduler (one per worker thread of {@code Schedulers.threads(n)}, one per
 * worker JVM of {@code Schedulers.processes(n)}) and views of them. It owns nothing: close the
 * scheduler when done.
 *
 * <pre>{@code
 * try (ThreadedScheduler s = Schedulers.threads(4)) {
 *   Client rc = Client.of(s);
 *   DirectView dview = rc.view();                  // rc[:]
 *   EngineView e0 = rc.view(0);                    // rc[0]
 *   DirectView even = rc.view(0, 4, 2);            // rc[0:4:2]
 *   LoadBalancedView lview = rc.loadBalancedView();
 * }
 * }</pre>
 */
public final class Client {
  private final Engines engines;
  private final Balancer balancer;

  private Client(Engines engines) {
    this.engines = engines;
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < engines.count(); i++) {
      all.add(i);
    }
    this.balancer = new Balancer(engines, all);
  }

  /**
   * Returns a client of the scheduler's engines.
   *
   * @param scheduler a scheduler with long-lived workers (threads or worker JVMs)
   * @return the client
   * @throws IllegalArgumentException if the scheduler has no engines
   */
  public static Client of(Scheduler scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    Engines e = scheduler.engines().orElseThrow(() -> new IllegalArgumentException("scheduler "
        + scheduler.name() + " has no engines to address one by one: use Schedulers.threads(n)"
        + " or Schedulers.processes(n)"));
    return new Client(e);
  }

  /** {@return the engine ids, 0 to n - 1 (ipyparallel's {@code rc.ids})} */
  public List<Integer> ids() {
    return balancer.targets();
  }

  /** {@return a view of all engines ({@code rc[:]})} */
  public DirectView view() {
    return new DirectView(engines, ids());
  }

  /**
   * Returns a view of one engine ({@code rc[0]}).
   *
   * @param engine its id
   * @return the view
   * @throws IndexOutOfBoundsException if there is no such engine
   */
  public EngineView view(int engine) {
    check(engine);
    return new EngineView(engines, engine);
  }

  /**
   * Returns a view of the engines {@code from} (inclusive) to {@code to} (exclusive), as
   * {@code rc[from:to]}.
   *
   * @param from the first engine
   * @param to one past the last engine; clipped to the count, as Python slices are
   * @return the view
   */
  public DirectView view(int from, int to) {
    return view(from, to, 1);
  }

  /**
   * Returns a view of every {@code step}-th engine from {@code from} to {@code to}
   * (exclusive), as {@code rc[from:to:step]}.
   *
   * @param from the first engine
   * @param to one past the last engine; clipped to the count
   * @param step the step, at least 1
   * @return the view
   * @throws IllegalArgumentException if the range holds no engine or the step is below 1
   */
  public DirectView view(int from, int to, int step) {
    if (step < 1) {
      throw new IllegalArgumentException("step must be at least 1, got " + step);
    }
    List<Integer> ids = new ArrayList<>();
    for (int i = Math.max(0, from); i < Math.min(to, engines.count()); i += step) {
      ids.add(i);
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("engines " + from + " to " + to + " step " + step
          + " select none of the " + engines.count() + " engines (0 to "
          + (engines.count() - 1) + ")");
    }
    return new DirectView(engines, ids);
  }

  /**
   * Returns a view of the given engines, in that order.
   *
   * @param ids the engine ids, at least one
   * @return the view
   */
  public DirectView view(List<Integer> ids) {
    Objects.requireNonNull(ids, "ids");
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("ids: a view needs at least one engine");
    }
    for (Integer id : ids) {
      check(Objects.requireNonNull(id, "ids: a null engine id"));
    }
    return new DirectView(engines, ids);
  }

  /**
   * {@return the load-balanced view of all engines ({@code rc.load_balanced_view()}); every
   * view this returns shares one queue, so together they keep each engine at one task}
   */
  public LoadBalancedView loadBalancedView() {
    return new LoadBalancedView(balancer);
  }

  private void check(int engine) {
    if (engine < 0 || engine >= engines.count()) {
      throw new IndexOutOfBoundsException("no engine " + engine + ": there are "
          + engines.count() + " engines, 0 to " + (engines.count() - 1));
    }
  }

  @Override
  public String toString() {
    return "Client(" + engines + ")";
  }
}
