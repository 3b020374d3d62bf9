package dev.tessera.graph.spi;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Writes and reads values of one type for shipping between processes: ND4J arrays in ND4J's
 * binary form, Tablesaw tables column by column, and so on. Any scheduler that moves values
 * between JVMs (the worker-JVM pool, a cluster) uses the same codecs, which is why this lives
 * next to the scheduler SPI and not in one scheduler's module. Register one for your own types
 * with {@code ProcessOptions.builder().codec(MyCodec.class)}, or list it in
 * {@code META-INF/services/dev.tessera.graph.spi.Codec} so that every process finds it.
 * Implementations need a public no-argument constructor (worker processes create their own).
 *
 * @param <T> the type it handles (and its subtypes)
 */
public interface Codec<T> {
  /** {@return a short unique name, written before each value, such as {@code "nd4j"}} */
  String id();

  /** {@return the type this codec handles; subclasses are handled too} */
  Class<T> type();

  /**
   * Writes a value.
   *
   * @param value the value, never null
   * @param out where to write
   * @throws IOException if writing fails
   */
  void write(T value, DataOutputStream out) throws IOException;

  /**
   * Reads a value written by {@link #write}.
   *
   * @param in where to read
   * @return the value
   * @throws IOException if reading fails
   */
  T read(DataInputStream in) throws IOException;

  /**
   * Returns roughly how many bytes the value takes, for placing tasks near their data; -1 if
   * unknown.
   *
   * @param value the value
   * @return the estimate in bytes, or -1
   */
  default long sizeOf(T value) {
    return -1;
  }
}
