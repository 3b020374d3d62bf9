package dev.tessera.diagnostics;

import java.time.Duration;

/**
 * How {@link Diagnostics#render} draws a graph; immutable, each {@code with} method returns a
 * changed copy.
 *
 * <pre>{@code
 * GraphOptions o = GraphOptions.defaults().leftToRight().colorByOrder().optimized();
 * Diagnostics.render(x, Path.of("x.svg"), o);
 * }</pre>
 *
 * <p>Defaults: top to bottom, plain colours, the raw graph (as built), the task view up to
 * {@link #DEFAULT_NODE_LIMIT} tasks and the layer view above (pictures draw layers above
 * {@link #DEFAULT_RENDER_LIMIT} tasks whatever the view), the image's natural size up to
 * {@link #MAX_SIZE} per side, and {@link #DEFAULT_TIMEOUT} for {@code dot}.
 */
public final class GraphOptions implements dev.tessera.graph.core.GraphDrawer.Options {
  /** The number of tasks above which {@link View#AUTO} shows layers: 200. */
  public static final int DEFAULT_NODE_LIMIT = 200;

  /**
   * The number of tasks above which an SVG or PNG picture draws the layer view even when the
   * task view is asked for: 1,000. Laying out one node per task takes a few seconds at 1,000
   * nodes, minutes at 10,000 (and the V8 engine fails at about 5,000).
   */
  public static final int DEFAULT_RENDER_LIMIT = 1000;

  /** How long the {@code dot} program may take to lay out a picture: 60 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The largest picture, in points (pixels in PNG) per side: 20,000. A bigger drawing is
   * scaled down to fit (Graphviz's {@code size} attribute).
   */
  public static final int MAX_SIZE = 20_000;

  /** Which nodes to draw. */
  public enum View {
    /** One node per task, or per layer above the node limit. */
    AUTO,
    /** One node per task, whatever the size. */
    TASKS,
    /**
     * One node per layer (collection operation), like Dask's high-level graph view; edges are
     * the layers' dependencies.
     */
    LAYERS
  }

  private static final GraphOptions DEFAULTS =
      new GraphOptions(false, false, false, View.AUTO, DEFAULT_NODE_LIMIT, 0,
          DEFAULT_RENDER_LIMIT, DEFAULT_TIMEOUT);

  private final boolean leftToRight;
  private final boolean colorByOrder;
  private final boolean optimized;
  private final View view;
  private final int nodeLimit;
  private final int width;
  private final int renderLimit;
  private final Duration timeout;

  private GraphOptions(boolean leftToRight, boolean colorByOrder, boolean optimized, View view,
      int nodeLimit, int width, int renderLimit, Duration timeout) {
    this.leftToRight = leftToRight;
    this.colorByOrder = colorByOrder;
    this.optimized = optimized;
    this.view = view;
    this.nodeLimit = nodeLimit;
    this.width = width;
    this.renderLimit = renderLimit;
    this.timeout = timeout;
  }

  /** {@return the default options} */
  public static GraphOptions defaults() {
    return DEFAULTS;
  }

  /** {@return these options drawing edges left to right ({@code rankdir=LR})} */
  public GraphOptions leftToRight() {
    return new GraphOptions(true, colorByOrder, optimized, view, nodeLimit, width,
        renderLimit, timeout);
  }

  /** {@return these options drawing edges top to bottom ({@code rankdir=TB}), the default} */
  public GraphOptions topToBottom() {
    return new GraphOptions(false, colorByOrder, optimized, view, nodeLimit, width,
        renderLimit, timeout);
  }

  /**
   * {@return these options colouring each node by when it runs: the static priority of the
   * collection's execution plan, first (dark blue) to last (yellow)} Tasks the outputs do not
   * need are grey; in the layer view a layer takes its first task's colour.
   */
  public GraphOptions colorByOrder() {
    return new GraphOptions(leftToRight, true, optimized, view, nodeLimit, width,
        renderLimit, timeout);
  }

  /**
   * {@return these options drawing the graph that would run: optimized by the collection's
   * own {@code optimize} and culled to its outputs} The default draws the graph as built.
   */
  public GraphOptions optimized() {
    return new GraphOptions(leftToRight, colorByOrder, true, view, nodeLimit, width,
        renderLimit, timeout);
  }

  /** {@return these options drawing the graph as built (the default)} */
  public GraphOptions raw() {
    return new GraphOptions(leftToRight, colorByOrder, false, view, nodeLimit, width,
        renderLimit, timeout);
  }

  /**
   * Returns these options with {@code view}.
   *
   * @param view which nodes to draw
   * @return the options
   */
  public GraphOptions view(View view) {
    return new GraphOptions(leftToRight, colorByOrder, optimized,
        java.util.Objects.requireNonNull(view, "view"), nodeLimit, width, renderLimit, timeout);
  }

  /**
   * Returns these options with the number of tasks above which {@link View#AUTO} draws layers.
   *
   * @param limit at least 1
   * @return the options
   */
  public GraphOptions nodeLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the node limit must be at least 1, got " + limit);
    }
    return new GraphOptions(leftToRight, colorByOrder, optimized, view, limit, width,
        renderLimit, timeout);
  }

  /**
   * Returns these options scaling PNG images to {@code pixels} wide (the height follows); 0
   * keeps the natural size. SVG and DOT are not affected.
   *
   * @param pixels the width, or 0
   * @return the options
   */
  public GraphOptions width(int pixels) {
    if (pixels < 0) {
      throw new IllegalArgumentException("the width must be 0 (natural) or positive, got "
          + pixels);
    }
    return new GraphOptions(leftToRight, colorByOrder, optimized, view, nodeLimit, pixels,
        renderLimit, timeout);
  }

  /**
   * Returns these options with the number of tasks above which SVG and PNG pictures draw the
   * layer view (saying so in the picture) instead of one node per task; DOT text is not
   * limited.
   *
   * @param limit at least 1
   * @return the options
   */
  public GraphOptions renderLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the render limit must be at least 1, got " + limit);
    }
    return new GraphOptions(leftToRight, colorByOrder, optimized, view, nodeLimit, width, limit,
        timeout);
  }

  /**
   * Returns these options giving the {@code dot} program at most {@code timeout} to lay out a
   * picture; the V8 engine (used without {@code dot}) is bounded by the render limit instead.
   *
   * @param timeout positive, whole milliseconds
   * @return the options
   */
  public GraphOptions timeout(Duration timeout) {
    java.util.Objects.requireNonNull(timeout, "timeout");
    if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("the timeout must be 1 ms to 24 days, got " + timeout);
    }
    return new GraphOptions(leftToRight, colorByOrder, optimized, view, nodeLimit, width,
        renderLimit, timeout);
  }

  int getRenderLimit() {
    return renderLimit;
  }

  Duration getTimeout() {
    return timeout;
  }

  boolean isLeftToRight() {
    return leftToRight;
  }

  boolean isColorByOrder() {
    return colorByOrder;
  }

  boolean isOptimized() {
    return optimized;
  }

  View getView() {
    return view;
  }

  int getNodeLimit() {
    return nodeLimit;
  }

  int getWidth() {
    return width;
  }

  @Override
  public String toString() {
    return "GraphOptions(rankdir=" + (leftToRight ? "LR" : "TB") + ", colorByOrder="
        + colorByOrder + ", " + (optimized ? "optimized" : "raw") + ", view=" + view
        + ", nodeLimit=" + nodeLimit + ", width=" + width + ", renderLimit=" + renderLimit
        + ", timeout=" + timeout + ")";
  }
}
