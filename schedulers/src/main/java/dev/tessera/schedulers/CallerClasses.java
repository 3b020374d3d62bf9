package dev.tessera.schedulers;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The caller's side of peer class loading: remembers the class loaders of classes that exist
 * only in this JVM's memory (a single-file program run with {@code java Demo.java}, jshell
 * snippets, a notebook kernel's cells), and answers a worker's request for the bytes of one of
 * their classes.
 *
 * <p>Why: worker JVMs start with this JVM's class path, which such classes are not on; a
 * lambda or method reference from them cannot be deserialized there. Every class written into
 * a task or value is noted here ({@link #note}); a worker that cannot find a class asks
 * ({@link Protocol#CLASS_REQUEST}), and the bytes come from the loader that defined it (the
 * source launcher's and jshell's loaders serve their classes as resources). Classes on the
 * class path are never sent: the worker has them.
 */
final class CallerClasses {
  private CallerClasses() {}

  // guarded by LOADERS; weak: a finished jshell session's loader may go
  private static final Map<ClassLoader, Boolean> LOADERS = new WeakHashMap<>();

  /** Remembers {@code c}'s loader if the worker's class path cannot have {@code c}. */
  static void note(Class<?> c) {
    note(c.getClassLoader());
  }

  /** Remembers {@code loader} unless it is the application loader or one of its parents. */
  static void note(ClassLoader loader) {
    if (loader == null || onClassPath(loader)) {
      return;
    }
    synchronized (LOADERS) {
      LOADERS.putIfAbsent(loader, Boolean.TRUE);
    }
  }

  private static boolean onClassPath(ClassLoader loader) {
    for (ClassLoader l = ClassLoader.getSystemClassLoader(); l != null; l = l.getParent()) {
      if (l == loader) {
        return true;
      }
    }
    return false;
  }

  /** {@return the class file of {@code className} from a noted loader, or null} */
  static byte[] find(String className) {
    List<ClassLoader> loaders;
    synchronized (LOADERS) {
      loaders = new ArrayList<>(LOADERS.keySet());
    }
    String resource = className.replace('.', '/') + ".class";
    for (ClassLoader l : loaders) {
      try (InputStream in = l.getResourceAsStream(resource)) {
        if (in != null) {
          return in.readAllBytes();
        }
      } catch (IOException e) {
        // try the next loader
      }
    }
    return null;
  }

  /** Answers a worker's {@link Protocol#CLASS_REQUEST}: the bytes, or none (an empty array). */
  static void answer(WorkerHandle w, String className) throws IOException {
    byte[] bytes = find(className);
    byte[] reply = bytes == null ? new byte[0] : bytes;
    w.send(o -> {
      o.writeByte(Protocol.CLASS_BYTES);
      o.writeUTF(className);
      Protocol.writeBytes(o, reply);
    });
  }

  /**
   * {@return the class {@code name} from a noted loader} So that this JVM reads back values of
   * its in-memory classes (a worker's result of type {@code Demo.Point}) even where the thread's
   * context class loader is the application loader.
   *
   * @throws ClassNotFoundException if no noted loader has it
   */
  static Class<?> load(String name) throws ClassNotFoundException {
    for (ClassLoader l : noted()) {
      try {
        return Class.forName(name, false, l);
      } catch (ClassNotFoundException e) {
        // try the next one
      }
    }
    throw new ClassNotFoundException(name);
  }

  /** {@return a loader that tries {@code base}, then the noted loaders} */
  static ClassLoader withNoted(ClassLoader base) {
    return new ClassLoader("tessera-noted-classes", base) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        return load(name);
      }
    };
  }

  /** For tests: forgets every noted loader. */
  static void clear() {
    synchronized (LOADERS) {
      LOADERS.clear();
    }
  }

  static List<ClassLoader> noted() {
    synchronized (LOADERS) {
      return Collections.unmodifiableList(new ArrayList<>(LOADERS.keySet()));
    }
  }
}
