package dev.tessera.schedulers.engine;

import dev.tessera.graph.core.Task;
import java.io.IOException;

/**
 * How tasks and values become bytes for the workers, and back: the transport's codecs (for the
 * worker JVMs, Java serialization for tasks and {@link dev.tessera.graph.spi.Codec}s for values).
 */
public interface Encoding {
  /**
   * Encodes a task.
   *
   * @param task the task
   * @return its bytes
   * @throws java.io.NotSerializableException naming the class if the task does not serialize
   * @throws IOException if it cannot be encoded for another reason
   */
  byte[] encodeTask(Task task) throws IOException;

  /**
   * Encodes a value.
   *
   * @param value the value, possibly null
   * @return its bytes
   * @throws IOException if it cannot be encoded
   */
  byte[] encode(Object value) throws IOException;

  /**
   * Decodes a value encoded by a worker or by {@link #encode}.
   *
   * @param bytes the bytes
   * @return the value
   * @throws IOException if the bytes are corrupt or name an unknown class
   */
  Object decode(byte[] bytes) throws IOException;
}
