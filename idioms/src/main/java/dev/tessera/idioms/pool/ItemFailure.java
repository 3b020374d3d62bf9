package dev.tessera.idioms.pool;

/**
 * Thrown inside a chunk's task when the function fails on one item: carries the item's index
 * in the whole input and a short description of it, with the function's exception as cause.
 * The caller replaces it by a {@code TaskFailedException} that names the task and the item.
 */
final class ItemFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final int index;
  private final String item;

  ItemFailure(int index, String item, Throwable cause) {
    super("item " + index + " (" + item + ")", cause);
    this.index = index;
    this.item = item;
  }

  int index() {
    return index;
  }

  String item() {
    return item;
  }

  /** A short, one-line description of an item for error messages. */
  static String describe(Object item) {
    String s;
    try {
      s = item != null && item.getClass().isArray() ? arrayString(item) : String.valueOf(item);
    } catch (RuntimeException e) {
      s = item.getClass().getName() + " (its toString() threw " + e + ")";
    }
    s = s.replace('\n', ' ');
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  private static String arrayString(Object a) {
    if (a instanceof Object[] o) {
      return java.util.Arrays.deepToString(o);
    }
    int n = java.lang.reflect.Array.getLength(a);
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n && sb.length() < 90; i++) {
      sb.append(i == 0 ? "" : ", ").append(java.lang.reflect.Array.get(a, i));
    }
    return sb.append(']').toString();
  }
}
