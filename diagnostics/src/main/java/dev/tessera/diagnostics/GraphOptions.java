package dev.tessera.diagnostics;

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
 * {@link #DEFAULT_NODE_LIMIT} tasks and the layer view above, and the image's natural size.
 */
public final class GraphOptions {
  /** The number of tasks above which {@link View#AUTO} shows layers: 200. */
  public static final int DEFAULT_NODE_LIMIT = 200;

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
      new GraphOptions(false, false, false, View.AUTO, DEFAULT_NODE_LIMIT, 0);

  private final boolean leftToRight;
  private final boolean colorByOrder;
  private final boolean optimized;
  private final View view;
  private final int nodeLimit;
  private final int width;

  private GraphOptions(boolean leftToRight, boolean colorByOrder, boolean optimized, View view,
      int nodeLimit, int width) {
    this.leftToRight = leftToRight;
    this.colorByOrder = colorByOrder;
    this.optimized = optimized;
    this.view = view;
    this.nodeLimit = nodeLimit;
    this.width = width;
  }

  /** {@return the default options} */
  public static GraphOptions defaults() {
    return DEFAULTS;
  }

  /** {@return these options drawing edges left to right ({@code rankdir=LR})} */
  public GraphOptions leftToRight() {
    return new GraphOptions(true, colorByOrder, optimized, view, nodeLimit, width);
  }

  /** {@return these options drawing edges top to bottom ({@code rankdir=TB}), the default} */
  public GraphOptions topToBottom() {
    return new GraphOptions(false, colorByOrder, optimized, view, nodeLimit, width);
  }

  /**
   * {@return these options colouring each node by when it runs: the static priority of the
   * collection's execution plan, first (dark blue) to last (yellow)} Tasks the outputs do not
   * need are grey; in the layer view a layer takes its first task's colour.
   */
  public GraphOptions colorByOrder() {
    return new GraphOptions(leftToRight, true, optimized, view, nodeLimit, width);
  }

  /**
   * {@return these options drawing the graph that would run: optimized by the collection's
   * own {@code optimize} and culled to its outputs} The default draws the graph as built.
   */
  public GraphOptions optimized() {
    return new GraphOptions(leftToRight, colorByOrder, true, view, nodeLimit, width);
  }

  /** {@return these options drawing the graph as built (the default)} */
  public GraphOptions raw() {
    return new GraphOptions(leftToRight, colorByOrder, false, view, nodeLimit, width);
  }

  /**
   * Returns these options with {@code view}.
   *
   * @param view which nodes to draw
   * @return the options
   */
  public GraphOptions view(View view) {
    return new GraphOptions(leftToRight, colorByOrder, optimized,
        java.util.Objects.requireNonNull(view, "view"), nodeLimit, width);
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
    return new GraphOptions(leftToRight, colorByOrder, optimized, view, limit, width);
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
    return new GraphOptions(leftToRight, colorByOrder, optimized, view, nodeLimit, pixels);
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
        + ", nodeLimit=" + nodeLimit + ", width=" + width + ")";
  }
}
