package dev.tessera.dashboard;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.tessera.graph.spi.TransferEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

/**
 * Results moved between workers (from the remote schedulers' {@code transfer} callbacks),
 * kept within fixed bounds: the last {@link #RECENT} transfers, and per pair of workers (at
 * most {@link #PAIRS}) the total count and bytes with the bytes of each of the last
 * {@link #WINDOW_S} seconds, for a rate. Recorded whether or not a page is open: a transfer
 * already costs an encoding and a message of its bytes, next to which this is nothing, and
 * the totals stay exact. Thread-safe: every method takes this object's lock (the senders'
 * threads hold it for one small update).
 */
final class Transfers {
  /** Transfers kept, newest last. */
  static final int RECENT = 200;
  /** Transfers sent to a page in one event at most. */
  static final int SHOWN = 30;
  /** Pairs of workers counted; transfers between further pairs count in the totals only. */
  static final int PAIRS = 1024;
  /** The window of the rate, in seconds. */
  static final int WINDOW_S = 10;

  /** One transfer as kept (the key as its string: its data stays with the computation). */
  record Moved(long run, String key, String from, String to, long bytes, long nanos) {}

  private static final class Pair {
    long count;
    long bytes;
    final long[] perSecond = new long[WINDOW_S];
    long second = Long.MIN_VALUE; // the second perSecond[second % WINDOW_S] counts

    void add(long b, long sec) {
      roll(sec);
      count++;
      bytes += b;
      perSecond[(int) Math.floorMod(sec, (long) WINDOW_S)] += b;
    }

    void roll(long sec) {
      if (second == Long.MIN_VALUE || sec - second >= WINDOW_S) {
        java.util.Arrays.fill(perSecond, 0);
      } else {
        for (long s = second + 1; s <= sec; s++) {
          perSecond[(int) Math.floorMod(s, (long) WINDOW_S)] = 0;
        }
      }
      second = Math.max(second, sec);
    }

    long windowBytes(long sec) {
      roll(sec);
      long b = 0;
      for (long x : perSecond) {
        b += x;
      }
      return b;
    }
  }

  private final ArrayDeque<Moved> recent = new ArrayDeque<>();
  private final Map<List<String>, Pair> pairs = new LinkedHashMap<>();
  private long count;
  private long bytes;

  /** Records one transfer of computation {@code run}. */
  synchronized void add(long run, TransferEvent e) {
    count++;
    bytes += e.bytes();
    recent.addLast(new Moved(run, e.key().toString(), e.from(), e.to(), e.bytes(), e.nanos()));
    if (recent.size() > RECENT) {
      recent.pollFirst();
    }
    List<String> k = List.of(e.from(), e.to());
    Pair p = pairs.get(k);
    if (p == null && pairs.size() < PAIRS) {
      p = new Pair();
      pairs.put(k, p);
    }
    if (p != null) {
      p.add(e.bytes(), Math.floorDiv(e.nanos(), 1_000_000_000L));
    }
  }

  /**
   * {@return the transfers as the pages show them: totals, each pair with its bytes per
   * second over the last {@link #WINDOW_S} s, and the newest transfers}
   *
   * @param now {@link System#nanoTime()} now
   * @param seconds the dashboard's clock, from nanoTime
   */
  synchronized JsonObject json(long now, LongToDoubleFunction seconds) {
    JsonObject o = new JsonObject();
    o.addProperty("count", count);
    o.addProperty("bytes", bytes);
    o.addProperty("window", WINDOW_S);
    long sec = Math.floorDiv(now, 1_000_000_000L);
    JsonArray ps = new JsonArray();
    for (Map.Entry<List<String>, Pair> e : pairs.entrySet()) {
      JsonArray a = new JsonArray();
      a.add(e.getKey().get(0));
      a.add(e.getKey().get(1));
      a.add(e.getValue().count);
      a.add(e.getValue().bytes);
      a.add(e.getValue().windowBytes(sec) / (double) WINDOW_S);
      ps.add(a);
    }
    o.add("pairs", ps);
    List<Moved> last = new ArrayList<>();
    Iterator<Moved> it = recent.descendingIterator();
    while (it.hasNext() && last.size() < SHOWN) {
      last.add(it.next());
    }
    JsonArray r = new JsonArray();
    for (Moved m : last) { // newest first
      JsonArray a = new JsonArray();
      a.add(seconds.applyAsDouble(m.nanos()));
      a.add(m.from());
      a.add(m.to());
      a.add(m.bytes());
      a.add(m.key());
      a.add(m.run());
      r.add(a);
    }
    o.add("recent", r);
    return o;
  }
}
