package dev.tessera.bag;

import dev.tessera.graph.TesseraException;

/**
 * A user function failed on one element of a bag partition. The message names the bag, the
 * partition, the element's index within the partition (counting from 0, in the partition's
 * input order) and the function; {@link #getCause()} is what the function threw. The scheduler
 * reports it inside a {@link dev.tessera.graph.TaskFailedException} that names the task's key.
 */
public final class BagElementException extends TesseraException {
  private static final long serialVersionUID = 1L;
  private final String bag;
  private final int partition;
  private final long element;

  BagElementException(String bag, int partition, long element, String what, Throwable cause) {
    super(what + " failed on " + (element < 0 ? "" : "element " + element + " of ")
        + "partition " + partition + " of bag '" + bag + "' (key ('" + bag + "', " + partition
        + ")): " + cause, cause);
    this.bag = bag;
    this.partition = partition;
    this.element = element;
  }

  /** {@return the name of the bag whose partition failed} */
  public String bag() {
    return bag;
  }

  /** {@return the partition's index} */
  public int partition() {
    return partition;
  }

  /**
   * {@return the index of the element within the partition, counting from 0; -1 when a function
   * of the whole partition failed}
   */
  public long element() {
    return element;
  }
}
