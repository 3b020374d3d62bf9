package dev.tessera.idioms.views;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Captures what a call prints, as ipyparallel captures an engine's stdout and stderr per
 * request: {@code System.out} and {@code System.err} are wrapped (again if someone replaced them since) by streams
 * that write to the current thread's buffers while a call runs on it and to the original
 * streams otherwise. Only the call's own thread is captured (threads it starts print as
 * usual).
 */
final class Capture {
  private Capture() {}

  private static final ThreadLocal<Buffers> CURRENT = new ThreadLocal<>();

  /** The output of one call. */
  static final class Buffers {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Buffers outer;

    Buffers(Buffers outer) {
      this.outer = outer;
    }

    String out() {
      return out.toString(Charset.defaultCharset());
    }

    String err() {
      return err.toString(Charset.defaultCharset());
    }
  }

  /** Starts capturing the current thread's output. */
  static Buffers begin() {
    install();
    Buffers b = new Buffers(CURRENT.get());
    CURRENT.set(b);
    return b;
  }

  /** Stops capturing into {@code b}; what an outer capture had resumes. */
  static void end(Buffers b) {
    System.out.flush();
    System.err.flush();
    if (b.outer == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(b.outer);
    }
  }

  /** Wraps the current streams unless they are ours (someone may have replaced them since). */
  private static synchronized void install() {
    if (!(System.out instanceof Routed)) {
      System.setOut(new Routed(new Router(System.out, false)));
    }
    if (!(System.err instanceof Routed)) {
      System.setErr(new Routed(new Router(System.err, true)));
    }
  }

  /** Marks our streams. */
  private static final class Routed extends PrintStream {
    Routed(Router router) {
      super(router, true, Charset.defaultCharset());
    }
  }

  /** Sends bytes to the current call's buffer, or to the original stream. */
  private static final class Router extends OutputStream {
    private final PrintStream original;
    private final boolean err;

    Router(PrintStream original, boolean err) {
      this.original = original;
      this.err = err;
    }

    private OutputStream target() {
      Buffers b = CURRENT.get();
      return b == null ? original : err ? b.err : b.out;
    }

    @Override
    public void write(int b) {
      OutputStream t = target();
      if (t == original) {
        original.write(b);
      } else {
        ((ByteArrayOutputStream) t).write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      OutputStream t = target();
      if (t == original) {
        original.write(b, off, len);
      } else {
        ((ByteArrayOutputStream) t).write(b, off, len);
      }
    }

    @Override
    public void flush() {
      if (target() == original) {
        original.flush();
      }
    }
  }
}
