package dev.tessera.schedulers;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The worker's side of peer class loading: a class loader over the worker's class path that,
 * for a class it cannot find, asks the parent for its bytes ({@link Protocol#CLASS_REQUEST})
 * and defines it. Each class is asked for once and defined once per worker, so once per pool
 * for as long as the pool lives. See {@link CallerClasses} for the parent's side.
 *
 * <p>The request is answered on the worker's reader thread ({@link #answer}); a class needed
 * by the reader thread itself cannot be asked for (it would wait for its own reply), so values
 * arrive as bytes and are decoded by the task runner.
 */
final class CallerClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private static final long TIMEOUT_SECONDS = 60;

  private final DataOutputStream out;
  private final Map<String, CompletableFuture<byte[]>> answers = new ConcurrentHashMap<>();
  private volatile Thread reader;

  CallerClassLoader(ClassLoader parent, DataOutputStream out) {
    super("tessera-caller-classes", parent);
    this.out = out;
  }

  /** The thread that reads the parent's messages: it must never wait for an answer. */
  void readerIs(Thread t) {
    reader = t;
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    if (Thread.currentThread() == reader) {
      throw new ClassNotFoundException(name + " is not on the worker's class path (and cannot"
          + " be asked for while reading a message)");
    }
    boolean[] mine = {false};
    CompletableFuture<byte[]> f = answers.computeIfAbsent(name, n -> {
      mine[0] = true;
      return new CompletableFuture<>();
    });
    if (mine[0]) {
      try {
        synchronized (out) {
          out.writeByte(Protocol.CLASS_REQUEST);
          out.writeUTF(name);
          out.flush();
        }
      } catch (IOException e) {
        answers.remove(name);
        throw new ClassNotFoundException(name + ": cannot ask the caller for it (" + e + ")", e);
      }
    }
    byte[] bytes;
    try {
      bytes = f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClassNotFoundException(name + ": interrupted while asking the caller", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new ClassNotFoundException(name + ": the caller did not send it (" + e + ")", e);
    }
    if (bytes.length == 0) {
      throw new ClassNotFoundException(name + " is neither on the worker's class path nor"
          + " known to the caller: put it on the class path of the JVM that starts the workers"
          + " (ProcessOptions adds flags), or define it where the caller's tasks are written");
    }
    return defineClass(name, bytes, 0, bytes.length);
  }

  /** Delivers the parent's answer for {@code name}: its class file, or empty if unknown. */
  void answer(String name, byte[] bytes) {
    answers.computeIfAbsent(name, n -> new CompletableFuture<>()).complete(bytes);
  }
}
