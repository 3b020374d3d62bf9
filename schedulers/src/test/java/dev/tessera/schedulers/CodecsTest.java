package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Values survive the trip between processes exactly, whatever path they take. */
class CodecsTest {
  private final Codecs codecs = new Codecs(List.of());

  private Object roundTrip(Object v) throws IOException {
    return codecs.decode(codecs.encode(v));
  }

  /** Keeps its data in a transient field and writes it itself, as compact containers do. */
  static final class OwnSerialization implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient int[] counts;

    OwnSerialization(int[] counts) {
      this.counts = counts;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      out.writeObject(counts);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      counts = (int[]) in.readObject();
    }
  }

  /** A plain class Kryo handles itself, holding a custom-serialized one. */
  static final class Holder {
    String name;
    OwnSerialization inner;
    Map<String, Integer> map = new HashMap<>();
  }

  record Point(double x, double y) {}

  @Test
  void classesWithTheirOwnSerializationKeepTheirData() throws Exception {
    OwnSerialization o = (OwnSerialization) roundTrip(new OwnSerialization(new int[] {1, 2, 3}));
    assertArrayEquals(new int[] {1, 2, 3}, o.counts);
    Holder h = new Holder();
    h.name = "h";
    h.inner = new OwnSerialization(new int[] {7});
    h.map.put("a", 1);
    Holder back = (Holder) roundTrip(h);
    assertEquals("h", back.name);
    assertArrayEquals(new int[] {7}, back.inner.counts);
    assertEquals(Map.of("a", 1), back.map);
  }

  @Test
  void doubleArraysKeepTheirBytesAcrossBufferBoundaries() throws Exception {
    for (int n : new int[] {0, 1, 65_535, 65_536, 65_537, 200_003}) {
      double[] d = new java.util.Random(n).doubles(n).toArray();
      if (n > 3) {
        d[0] = -0.0;
        d[1] = Double.NaN;
        d[2] = Double.NEGATIVE_INFINITY;
        d[n - 1] = Double.MIN_VALUE;
      }
      // the bytes are what writeDouble, one value at a time, always wrote
      java.io.ByteArrayOutputStream old = new java.io.ByteArrayOutputStream();
      java.io.DataOutputStream o = new java.io.DataOutputStream(old);
      o.writeByte(codecs.encode(new double[0])[0]);
      o.writeInt(n);
      for (double x : d) {
        o.writeDouble(x);
      }
      assertArrayEquals(old.toByteArray(), codecs.encode(d), "n=" + n);
      assertArrayEquals(d, (double[]) roundTrip(d), "n=" + n);
    }
  }

  @Test
  void builtInsCollectionsAndRecords() throws Exception {
    assertNull(roundTrip(null));
    assertEquals(42, roundTrip(42));
    assertEquals(42L, roundTrip(42L));
    assertEquals(2.5, roundTrip(2.5));
    assertEquals("wörd", roundTrip("wörd"));
    String longText = "x".repeat(100_000);
    assertEquals(longText, roundTrip(longText));
    assertArrayEquals(new byte[] {1, 2}, (byte[]) roundTrip(new byte[] {1, 2}));
    assertArrayEquals(new double[] {1, Double.NaN}, (double[]) roundTrip(new double[] {1,
        Double.NaN}));
    List<Object> nested = List.of(1, List.of("a", List.of()), Map.of("k", List.of(2.0)));
    assertEquals(nested, roundTrip(nested));
    Set<Integer> set = new LinkedHashSet<>(List.of(3, 1, 2));
    assertEquals(set, roundTrip(set));
    assertEquals(new Point(1, 2), roundTrip(new Point(1, 2)));
    List<Object> withNull = new ArrayList<>();
    withNull.add(null);
    assertEquals(withNull, roundTrip(withNull));
    assertEquals(Map.entry("w", 3L), roundTrip(Map.entry("w", 3L)));
  }

  @Test
  void aValueNothingCanShipIsRefusedByName() {
    Thread notShippable = new Thread(() -> { });
    Exception e = assertThrows(Exception.class, () -> codecs.encode(notShippable));
    if (e instanceof NotSerializableException n) {
      assertEquals(Thread.class.getName(), n.getMessage());
    }
  }

  @Test
  void doubleArraysOfEveryLengthRoundTripBitForBitInTheDataOutputFormat() throws IOException {
    java.util.Random r = new java.util.Random(42);
    for (int n : new int[] {0, 1, 65_535, 65_536, 65_537, 200_003}) {
      double[] d = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = r.nextGaussian();
      }
      if (n > 3) {
        d[0] = Double.NaN;
        d[1] = -0.0;
        d[2] = Double.NEGATIVE_INFINITY;
      }
      byte[] bytes = codecs.encode(d);
      java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
      java.io.DataOutputStream o = new java.io.DataOutputStream(expected);
      for (double x : d) {
        o.writeDouble(x);
      }
      byte[] tail = java.util.Arrays.copyOfRange(bytes, bytes.length - 8 * n, bytes.length);
      assertArrayEquals(expected.toByteArray(), tail, "the same bytes as writeDouble, n=" + n);
      double[] back = (double[]) codecs.decode(bytes);
      assertEquals(n, back.length);
      for (int i = 0; i < n; i++) {
        assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(back[i]));
      }
    }
  }

  @Test
  void aCollectionsSizeIsEstimatedFromItsElements() {
    // a shuffle's list of pieces weighs what its pieces weigh (it decides how it travels)
    List<byte[]> pieces = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      pieces.add(new byte[100 + (i % 2) * 100]);
    }
    long s = codecs.sizeOf(pieces);
    assertTrue(s >= 100_000 && s <= 400_000, "about 150 kB: " + s);
    List<List<byte[]>> nested = List.of(List.of(new byte[70_000]), List.of(new byte[70_000]));
    assertTrue(codecs.sizeOf(nested) >= 140_000, "two levels deep: " + codecs.sizeOf(nested));
    assertTrue(codecs.sizeOf(Set.of(1, 2, 3)) < 1000, "small stays small");
    assertEquals(16, codecs.sizeOf(List.of()));
  }
}
