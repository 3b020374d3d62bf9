package dev.tessera.schedulers;

import dev.tessera.graph.core.Task;
import dev.tessera.schedulers.engine.Encoding;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The worker-JVM pool's codecs, for other transports on {@link dev.tessera.schedulers.engine}
 * (the Ignite cluster): tasks with Java serialization, values with the registered
 * {@link dev.tessera.graph.spi.Codec}s (ND4J blocks, Tablesaw tables, your own), built-ins for
 * common types, then Kryo, then Java serialization. Both ends of a transport use it: the caller
 * through {@link Encoding}, a worker through {@link #decodeTask} and {@link #sizeOf} too. For
 * scheduler writers; users never need it. Thread-safe.
 */
public final class WireCodecs implements Encoding {
  private final Codecs codecs;

  private WireCodecs(Codecs codecs) {
    this.codecs = codecs;
  }

  /**
   * Returns the codecs found with the service loader plus the named classes.
   *
   * @param extraCodecClasses class names of further codecs (public, no-argument constructor)
   * @return the codecs
   */
  public static WireCodecs create(List<String> extraCodecClasses) {
    Objects.requireNonNull(extraCodecClasses, "extraCodecClasses");
    return new WireCodecs(new Codecs(List.copyOf(extraCodecClasses)));
  }

  @Override
  public byte[] encodeTask(Task task) throws IOException {
    Objects.requireNonNull(task, "task");
    return codecs.encodeTask(task);
  }

  /**
   * Decodes a task written by {@link #encodeTask}, with this thread's context class loader.
   *
   * @param bytes the bytes
   * @return the task
   * @throws IOException if the bytes are corrupt or name a class not found here
   */
  public Task decodeTask(byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    return codecs.decodeTask(bytes);
  }

  /**
   * Serializes an engine call's function (a {@link dev.tessera.graph.spi.EngineFunction}) the
   * way the worker JVMs do: Java serialization, values inside it through the codecs.
   *
   * @param fn the function
   * @return its bytes
   * @throws IOException if it does not serialize
   */
  public byte[] encodeFunction(Object fn) throws IOException {
    Objects.requireNonNull(fn, "fn");
    return codecs.encodeJava(fn);
  }

  /**
   * Reads what {@link #encodeFunction} wrote, with this thread's context class loader (a
   * {@link dev.tessera.schedulers.engine.EngineHost.Functions}).
   *
   * @param bytes the bytes
   * @return the function
   * @throws IOException if the bytes are corrupt or name a class not found here
   */
  public Object decodeFunction(byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    return codecs.decodeJava(bytes);
  }

  @Override
  public byte[] encode(Object value) throws IOException {
    return codecs.encode(value);
  }

  @Override
  public Object decode(byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    return codecs.decode(bytes);
  }

  /**
   * Returns roughly how many bytes a value takes, as the codecs measure it (for placement).
   *
   * @param value the value, possibly null
   * @return the estimate in bytes
   */
  public long sizeOf(Object value) {
    return codecs.sizeOf(value);
  }

  /**
   * Encodes a task's exception to send it back: Java serialization, or, when it does not
   * serialize, a {@link RemoteTaskException} with its class name, message and stack trace.
   *
   * @param error the exception
   * @return its bytes
   */
  public static byte[] encodeError(Throwable error) {
    Objects.requireNonNull(error, "error");
    try {
      return serialize(error);
    } catch (IOException | RuntimeException notSerializable) {
      java.io.StringWriter trace = new java.io.StringWriter();
      error.printStackTrace(new java.io.PrintWriter(trace));
      try {
        return serialize(new RemoteTaskException(error.getClass().getName(), error.getMessage(),
            trace.toString()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private static byte[] serialize(Object o) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(b)) {
      out.writeObject(o);
    }
    return b.toByteArray();
  }

  /**
   * Decodes what {@link #encodeError} wrote; bytes that cannot be read give a
   * {@link RemoteTaskException} that says so.
   *
   * @param bytes the bytes
   * @return the exception
   */
  public static Throwable decodeError(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return ProcessScheduler.decodeError(bytes);
  }

  /**
   * Tells whether an exception is an interrupt's (a cancelled task), as the local engine does.
   *
   * @param error an exception
   * @return whether it stands for an interrupt
   */
  public static boolean isInterrupt(Throwable error) {
    Objects.requireNonNull(error, "error");
    return LocalEngine.isInterrupt(error);
  }
}
