package dev.tessera.idioms.views;

import dev.tessera.graph.spi.EngineDiedException;
import dev.tessera.graph.spi.EngineFunction;
import dev.tessera.graph.spi.Engines;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * One call on one engine with what ipyparallel records about it: the function runs inside a
 * wrapper that notes its start and end and captures its output, on the engine; the caller gets
 * the value and the {@link Metadata}, or a {@link RemoteError} naming the engine.
 */
final class Calls {
  private Calls() {}

  /**
   * Runs {@code fn} on {@code engine}; {@code meta} receives the call's metadata when it ends
   * (before the returned future completes).
   */
  static CompletableFuture<Object> call(Engines engines, int engine, EngineFn<?> fn,
      Instant submitted, Consumer<Metadata> meta) {
    CompletableFuture<List<Object>> f = engines.call(engine, traced(fn));
    return f.handle((r, e) -> {
      if (e == null) {
        meta.accept(new Metadata(engine, submitted, instant((Long) r.get(1)),
            instant((Long) r.get(2)), (String) r.get(3), (String) r.get(4)));
        return r.get(0);
      }
      Throwable cause = unwrap(e);
      Metadata m;
      Throwable original;
      String how;
      if (cause instanceof CallFailure cf) {
        m = new Metadata(engine, submitted, instant(cf.startedMicros),
            instant(cf.completedMicros), cf.stdout, cf.stderr);
        original = cf.getCause() == null ? cf : cf.getCause();
        how = "failed: ";
      } else {
        m = Metadata.queued(engine, submitted);
        original = cause;
        // died, or the function's exception could not travel (it arrives as its text)
        how = cause instanceof EngineDiedException ? "died: " : "failed: ";
      }
      meta.accept(m);
      throw new CompletionException(new RemoteError("[engine " + engine + "] " + how + original,
          engine, m, original));
    });
  }

  /** The wrapper that runs on the engine: value, start, end (µs since the epoch), output. */
  static EngineFunction<List<Object>> traced(EngineFn<?> fn) {
    return ctx -> {
      long started = micros(Instant.now());
      Capture.Buffers b = Capture.begin();
      Object value;
      try {
        value = fn.apply(new Namespace(ctx));
      } catch (Throwable e) {
        Capture.end(b);
        throw new CallFailure(started, micros(Instant.now()), b.out(), b.err(), e);
      }
      Capture.end(b);
      return Arrays.asList(value, started, micros(Instant.now()), b.out(), b.err());
    };
  }

  /**
   * Waits for all the calls (as ipyparallel does before raising a {@code CompositeError}):
   * their values in order, or the first failure by position with the others suppressed in it.
   */
  static CompletableFuture<List<Object>> all(List<CompletableFuture<Object>> calls) {
    return CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
        .handle((v, e) -> {
          List<Object> values = new ArrayList<>(calls.size());
          Throwable first = null;
          for (CompletableFuture<Object> c : calls) {
            try {
              values.add(c.join());
            } catch (CompletionException x) {
              Throwable t = unwrap(x);
              if (first == null) {
                first = t;
              } else if (first != t) {
                first.addSuppressed(t);
              }
            }
          }
          if (first != null) {
            throw new CompletionException(first);
          }
          return values;
        });
  }

  static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
