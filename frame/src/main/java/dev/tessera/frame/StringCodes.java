package dev.tessera.frame;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2ShortOpenHashMap;
import it.unimi.dsi.fastutil.shorts.Short2IntOpenHashMap;
import it.unimi.dsi.fastutil.shorts.Short2ObjectOpenHashMap;
import java.util.Arrays;
import java.util.List;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.strings.ByteDictionaryMap;
import tech.tablesaw.columns.strings.DictionaryMap;
import tech.tablesaw.columns.strings.IntDictionaryMap;
import tech.tablesaw.columns.strings.ShortDictionaryMap;
import tech.tablesaw.columns.strings.StringColumnType;

/**
 * Builds Tablesaw string columns from dictionary codes instead of values. Tablesaw's own
 * {@code append}/{@code set} hash every string into the column's dictionary, once per row: a
 * shuffle copying a million-row partition of names into pieces, then concatenating pieces,
 * spent a sixth of W11's time there. Here each row costs an array read and write; strings are
 * looked up once per distinct value.
 *
 * <p>Codes are dense, from 0, in order of first appearance; -1 is a missing value. The column
 * built holds exactly the values that occur (as Tablesaw's {@code countUnique} expects) and
 * can still be appended to: its next key follows the last one used.
 */
final class StringCodes {
  /**
   * Fewer distinct values than this get a short-keyed dictionary, more an int-keyed one (a byte
   * dictionary would save a byte a row but needs a third copy of the code below).
   */
  private static final int SHORT_KEYS = 65_000;

  private final Object2IntOpenHashMap<String> codeOf = new Object2IntOpenHashMap<>();
  private String[] values = new String[16];
  private int distinct;

  StringCodes() {
    codeOf.defaultReturnValue(-1);
  }

  /** The code of {@code s} (null or Tablesaw's missing marker: -1), assigned if new. */
  int code(String s) {
    if (s == null || s.equals(StringColumnType.missingValueIndicator())) {
      return -1;
    }
    int c = codeOf.getInt(s);
    if (c < 0) {
      c = distinct++;
      codeOf.put(s, c);
      if (c == values.length) {
        values = Arrays.copyOf(values, c * 2);
      }
      values[c] = s;
    }
    return c;
  }

  /** A column of the first {@code n} codes. */
  StringColumn column(String name, int[] codes, int n) {
    return StringColumn.createInternal(name, dictionary(codes, n));
  }

  /** Whether {@code c} is dictionary-encoded (not Tablesaw's textual form), so codes apply. */
  static boolean coded(StringColumn c) {
    DictionaryMap d = c.getDictionary();
    return d instanceof ByteDictionaryMap || d instanceof ShortDictionaryMap
        || d instanceof IntDictionaryMap;
  }

  /**
   * Rows {@code rows[0..n)} of {@code c} (a row of -1 is missing), or null if {@code c} is not
   * {@link #coded}.
   */
  static StringColumn take(StringColumn c, int[] rows, int n, String name) {
    if (!coded(c)) {
      return null;
    }
    StringCodes codes = new StringCodes();
    Remap remap = codes.new Remap(c.getDictionary());
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = rows[i] < 0 ? -1 : remap.code(rows[i]);
    }
    return codes.column(name, out, n);
  }

  /** The rows of every column, in order, or null if one is not {@link #coded}. */
  static StringColumn concat(List<StringColumn> parts, String name) {
    int n = 0;
    for (StringColumn p : parts) {
      if (!coded(p)) {
        return null;
      }
      n += p.size();
    }
    StringCodes codes = new StringCodes();
    int[] out = new int[n];
    int at = 0;
    for (StringColumn p : parts) {
      Remap remap = codes.new Remap(p.getDictionary());
      for (int i = 0, m = p.size(); i < m; i++) {
        out[at++] = remap.code(i);
      }
    }
    return codes.column(name, out, n);
  }

  /** A column as its distinct values and one code per row (-1: missing), for the wire. */
  record Encoded(String[] values, int[] codes) {}

  /** {@code c} as codes, or null if it is not {@link #coded}. */
  static Encoded encode(StringColumn c) {
    if (!coded(c)) {
      return null;
    }
    StringCodes codes = new StringCodes();
    Remap remap = codes.new Remap(c.getDictionary());
    int[] out = new int[c.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = remap.code(i);
    }
    return new Encoded(Arrays.copyOf(codes.values, codes.distinct), out);
  }

  /** The column of an {@link Encoded}: its codes must lie in [-1, values.length). */
  static StringColumn decode(String name, Encoded e) {
    StringCodes codes = new StringCodes();
    codes.values = e.values().clone();
    codes.distinct = e.values().length;
    for (int c : e.codes()) {
      if (c < -1 || c >= codes.distinct) {
        throw new IllegalArgumentException("column " + name + ": code " + c + " is not one of"
            + " its " + codes.distinct + " values (corrupt data)");
      }
    }
    return codes.column(name, e.codes(), e.codes().length);
  }

  /** Maps a source column's keys to this builder's codes, each distinct key looked up once. */
  private final class Remap {
    private final DictionaryMap source;
    private final int missingKey;
    private final int[] small; // byte and short keys: code + 1 by key - MIN, 0 = not seen
    private final Int2IntOpenHashMap large;

    Remap(DictionaryMap source) {
      this.source = source;
      if (source instanceof ByteDictionaryMap) {
        missingKey = Byte.MAX_VALUE;
        small = new int[256];
        large = null;
      } else if (source instanceof ShortDictionaryMap) {
        missingKey = Short.MAX_VALUE;
        small = new int[65_536];
        large = null;
      } else {
        missingKey = Integer.MAX_VALUE;
        small = null;
        large = new Int2IntOpenHashMap();
        large.defaultReturnValue(0);
      }
    }

    int code(int row) {
      int key = source.getKeyAtIndex(row);
      if (key == missingKey) {
        return -1;
      }
      if (small != null) {
        int slot = key - (small.length == 256 ? Byte.MIN_VALUE : Short.MIN_VALUE);
        int c = small[slot];
        if (c == 0) {
          c = StringCodes.this.code(source.getValueForKey(key)) + 1;
          small[slot] = c;
        }
        return c - 1;
      }
      int c = large.get(key);
      if (c == 0) {
        c = StringCodes.this.code(source.getValueForKey(key)) + 1;
        large.put(key, c);
      }
      return c - 1;
    }
  }

  // Tablesaw's keys start at MIN + 1 (its next-key counter starts at MIN) and MAX is missing.
  private DictionaryMap dictionary(int[] codes, int n) {
    int[] count = new int[distinct];
    int missing = 0;
    for (int i = 0; i < n; i++) {
      int c = codes[i];
      if (c < 0) {
        missing++;
      } else {
        count[c]++;
      }
    }
    String gap = StringColumnType.missingValueIndicator();
    if (distinct < SHORT_KEYS) {
      short[] keys = new short[n];
      for (int i = 0; i < n; i++) {
        keys[i] = codes[i] < 0 ? Short.MAX_VALUE : (short) (Short.MIN_VALUE + 1 + codes[i]);
      }
      Short2ObjectOpenHashMap<String> kv = new Short2ObjectOpenHashMap<>(distinct + 1);
      Object2ShortOpenHashMap<String> vk = new Object2ShortOpenHashMap<>(distinct + 1);
      Short2IntOpenHashMap kc = new Short2IntOpenHashMap(distinct + 1);
      vk.defaultReturnValue(Short.MIN_VALUE);
      for (int c = 0; c < distinct; c++) {
        if (count[c] > 0) {
          short k = (short) (Short.MIN_VALUE + 1 + c);
          kv.put(k, values[c]);
          vk.put(values[c], k);
          kc.put(k, count[c]);
        }
      }
      if (missing > 0) {
        kv.put(Short.MAX_VALUE, gap);
        vk.put(gap, Short.MAX_VALUE);
        kc.put(Short.MAX_VALUE, missing);
      }
      return new ShortDictionaryMap.ShortDictionaryBuilder().setValues(keys).setKeyToValue(kv)
          .setValueToKey(vk).setKeyToCount(kc).setNextIndex(Short.MIN_VALUE + distinct).build();
    }
    int[] keys = new int[n];
    for (int i = 0; i < n; i++) {
      keys[i] = codes[i] < 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE + 1 + codes[i];
    }
    Int2ObjectOpenHashMap<String> kv = new Int2ObjectOpenHashMap<>(distinct + 1);
    Object2IntOpenHashMap<String> vk = new Object2IntOpenHashMap<>(distinct + 1);
    Int2IntOpenHashMap kc = new Int2IntOpenHashMap(distinct + 1);
    vk.defaultReturnValue(Integer.MIN_VALUE);
    for (int c = 0; c < distinct; c++) {
      if (count[c] > 0) {
        int k = Integer.MIN_VALUE + 1 + c;
        kv.put(k, values[c]);
        vk.put(values[c], k);
        kc.put(k, count[c]);
      }
    }
    if (missing > 0) {
      kv.put(Integer.MAX_VALUE, gap);
      vk.put(gap, Integer.MAX_VALUE);
      kc.put(Integer.MAX_VALUE, missing);
    }
    return new IntDictionaryMap.IntDictionaryBuilder().setValues(keys).setKeyToValue(kv)
        .setValueToKey(vk).setKeyToCount(kc).setNextIndex(Integer.MIN_VALUE + distinct).build();
  }
}
