package dev.tessera.idioms.pool;

import dev.tessera.graph.ComputeCancelledException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiFunction;

/**
 * The iterator of {@link Pool#imap} and {@link Pool#imapUnordered}: reads the items lazily,
 * keeps at most {@code window} chunks in flight (so an endless or huge input stays bounded in
 * memory, where Python's task handler reads the whole input ahead), and yields the results in
 * the items' order or in the order the chunks complete. A failed chunk throws its failure once,
 * at its place; the iteration then goes on with the next chunk. Not thread-safe: one consumer.
 *
 * @param <A> the item type
 * @param <R> the result type
 */
final class ChunkIterator<A, R> implements Iterator<R> {
  private final Iterator<? extends A> source;
  private final int chunksize;
  private final int window;
  private final boolean ordered;
  private final BiFunction<Integer, List<A>, CompletableFuture<List<R>>> submit;
  /** Ordered: the chunks in flight, in the items' order. */
  private final ArrayDeque<CompletableFuture<List<R>>> pending = new ArrayDeque<>();
  /** Unordered: the chunks in the order they completed. */
  private final LinkedBlockingQueue<CompletableFuture<List<R>>> completed =
      new LinkedBlockingQueue<>();
  private int inFlight;
  private int nextStart;
  private Iterator<R> current = Collections.emptyIterator();

  ChunkIterator(Iterator<? extends A> source, int chunksize, int window, boolean ordered,
      BiFunction<Integer, List<A>, CompletableFuture<List<R>>> submit) {
    this.source = source;
    this.chunksize = chunksize;
    this.window = window;
    this.ordered = ordered;
    this.submit = submit;
    fill();
  }

  /** Submits chunks until {@code window} are in flight or the items are exhausted. */
  private void fill() {
    while (inFlight < window && source.hasNext()) {
      List<A> chunk = new ArrayList<>(chunksize);
      while (chunk.size() < chunksize && source.hasNext()) {
        chunk.add(source.next());
      }
      CompletableFuture<List<R>> f = submit.apply(nextStart, chunk);
      nextStart += chunk.size();
      inFlight++;
      if (ordered) {
        pending.add(f);
      } else {
        f.whenComplete((v, e) -> completed.add(f));
      }
    }
  }

  @Override
  public boolean hasNext() {
    if (current.hasNext()) {
      return true;
    }
    fill();
    return inFlight > 0;
  }

  @Override
  public R next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more results");
    }
    if (current.hasNext()) {
      return current.next();
    }
    CompletableFuture<List<R>> f;
    try {
      f = ordered ? pending.poll() : completed.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComputeCancelledException("interrupted while waiting for the next result");
    }
    inFlight--;
    List<R> values;
    try {
      values = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ComputeCancelledException("interrupted while waiting for the next result");
    } catch (ExecutionException e) {
      throw AsyncResult.unchecked(e.getCause());
    } finally {
      // keep the window full while the consumer works on this chunk
      fill();
    }
    current = values.iterator();
    return current.next();
  }
}
