package dev.tessera.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.TaskFailedException;
import dev.tessera.graph.Tessera;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads files that NumPy 1.24 and Dask 2022.12 wrote (src/test/resources/fixtures, made by
 * make_fixtures.py there), and the edges of the format: byte order, 0-d, long headers,
 * truncation, gaps in a stack, stacks written over older ones.
 */
class NpyFilesTest {
  static Path fixture(String name) throws Exception {
    return Path.of(NpyFilesTest.class.getResource("/fixtures/" + name).toURI());
  }

  /** {@code np.arange(12).reshape(3, 4)}, in doubles. */
  static INDArray base() {
    return Nd4j.arange(12).castTo(DataType.DOUBLE).reshape('c', 3, 4);
  }

  static void same(INDArray expected, INDArray actual) {
    assertArrayEquals(expected.shape(), actual.shape(), "shape");
    INDArray e = expected.castTo(DataType.DOUBLE).dup('c');
    INDArray a = actual.castTo(DataType.DOUBLE).dup('c');
    for (long i = 0; i < e.length(); i++) {
      assertEquals(e.getDouble(i), a.getDouble(i), 0.0, "element " + i);
    }
  }

  @Test
  void bigEndianFilesOfEveryTypeAreConvertedOnRead() throws Exception {
    INDArray f8 = Npy.read(fixture("be_f8.npy"));
    assertEquals(DataType.DOUBLE, f8.dataType());
    same(base().mul(0.5).sub(1), f8);
    INDArray f4 = Npy.read(fixture("be_f4.npy"));
    assertEquals(DataType.FLOAT, f4.dataType());
    same(base().mul(0.25), f4);
    INDArray i4 = Npy.read(fixture("be_i4.npy"));
    assertEquals(DataType.INT, i4.dataType());
    same(base().sub(5), i4);
    INDArray i8 = Npy.read(fixture("be_i8.npy"));
    assertEquals(DataType.LONG, i8.dataType());
    for (int i = 0; i < 12; i++) {
      assertEquals(i * 1_000_000_000_000L - 5, i8.getLong(i / 4, i % 4));
    }
    same(base().mul(0.5).sub(1), Npy.read(fixture("be_f8_fortran.npy")));
    INDArray b1 = Npy.read(fixture("le_b1.npy"));
    assertEquals(DataType.BOOL, b1.dataType());
    for (int i = 0; i < 12; i++) {
      assertEquals(i % 3 == 0, b1.getDouble(i / 4, i % 4) != 0);
    }
    assertEquals(java.nio.ByteOrder.BIG_ENDIAN, NpyHeader.read(fixture("be_i4.npy")).order());
  }

  @Test
  void bigEndianStackReadsAsAnArray() throws Exception {
    Path d = StorageTest.dir("be-stack");
    Files.createDirectories(d);
    Files.copy(fixture("be_f8.npy"), d.resolve("0.npy"));
    Files.copy(fixture("be_f8_fortran.npy"), d.resolve("1.npy"));
    Array x = Array.fromNpyStack(d);
    assertArrayEquals(new long[][] {{3, 3}, {4}}, x.chunks());
    INDArray one = base().mul(0.5).sub(1);
    same(Nd4j.concat(0, one, one), x.compute(Fixtures.SYNC));
  }

  @Test
  void zeroDimensionalFilesAreRead() throws Exception {
    INDArray x = Npy.read(fixture("zero_d.npy"));
    assertEquals(0, x.rank());
    assertEquals(3.25, x.getDouble(0));
    Path d = StorageTest.dir("zero-d");
    Files.createDirectories(d);
    Files.copy(fixture("zero_d.npy"), d.resolve("0.npy"));
    Array a = Array.fromNpyStack(d);
    assertEquals(0, a.ndim());
    assertEquals(3.25, a.compute(Fixtures.SYNC).getDouble(0));
    Files.copy(fixture("zero_d.npy"), d.resolve("1.npy"));
    ArrayException e = assertThrows(ArrayException.class, () -> Array.fromNpyStack(d));
    assertTrue(e.getMessage().contains("0-d"), e.getMessage());
  }

  @Test
  void longHeadersAndFormats2And3AreRead() throws Exception {
    NpyHeader h = NpyHeader.read(fixture("long_header.npy"));
    assertTrue(h.dataOffset() > 4096, "header of " + h.dataOffset() + " bytes");
    same(base().mul(0.5).sub(1), Npy.read(fixture("long_header.npy")));
    same(base(), Npy.read(fixture("v2.npy")));
    same(base(), Npy.read(fixture("v3.npy")));
    Path d = StorageTest.dir("long-header");
    Files.createDirectories(d);
    Files.copy(fixture("long_header.npy"), d.resolve("0.npy"));
    Files.copy(fixture("v2.npy"), d.resolve("1.npy"));
    // the dtypes differ (f8, i8): refused with both files named
    ArrayException e = assertThrows(ArrayException.class, () -> Array.fromNpyStack(d));
    assertTrue(e.getMessage().contains("1.npy") && e.getMessage().contains("INT64"),
        e.getMessage());
    Files.delete(d.resolve("1.npy"));
    same(base().mul(0.5).sub(1), Array.fromNpyStack(d).compute(Fixtures.SYNC));
  }

  @Test
  void truncatedFilesFailNamingTheFileAndTheProblem() throws Exception {
    Path data = fixture("truncated_data.npy");
    IOException e = assertThrows(IOException.class, () -> Npy.read(data));
    assertTrue(e.getMessage().startsWith(data.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("truncated .npy data") && e.getMessage()
        .contains("needs 96 bytes") && e.getMessage().contains("only 88"), e.getMessage());
    Path header = fixture("truncated_header.npy");
    e = assertThrows(IOException.class, () -> Npy.read(header));
    assertTrue(e.getMessage().startsWith(header.toString())
        && e.getMessage().contains("truncated .npy header"), e.getMessage());
    e = assertThrows(IOException.class, () -> NpyHeader.read(header));
    assertTrue(e.getMessage().contains("truncated .npy header"), e.getMessage());
    Path tiny = StorageTest.dir("tiny");
    Files.createDirectories(tiny);
    Files.write(tiny.resolve("0.npy"), new byte[] {(byte) 0x93, 'N', 'U'});
    ArrayException a = assertThrows(ArrayException.class, () -> Array.fromNpyStack(tiny));
    assertTrue(a.getMessage().contains("0.npy") && a.getMessage().contains("3 bytes"),
        a.getMessage());
    Files.writeString(tiny.resolve("0.npy"), "hello, world");
    a = assertThrows(ArrayException.class, () -> Array.fromNpyStack(tiny));
    assertTrue(a.getMessage().contains("not a .npy file"), a.getMessage());

    // a stack whose metadata is fine but whose block is cut short fails when it runs
    Path d = StorageTest.dir("truncated-stack");
    Files.createDirectories(d);
    Files.copy(fixture("be_f8.npy"), d.resolve("0.npy"));
    Array x = Array.fromNpyStack(d);
    Files.copy(data, d.resolve("0.npy"), StandardCopyOption.REPLACE_EXISTING);
    TaskFailedException t = assertThrows(TaskFailedException.class,
        () -> x.compute(Fixtures.SYNC));
    assertTrue(t.getCause().getMessage().contains("truncated .npy data"), t.toString());
  }

  @Test
  void unsupportedAndDamagedHeadersAreNamed() throws Exception {
    Path d = StorageTest.dir("bad-header");
    Files.createDirectories(d);
    Path f = d.resolve("0.npy");
    write(f, "{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }");
    IOException e = assertThrows(IOException.class, () -> NpyHeader.read(f));
    assertTrue(e.getMessage().contains("'<c16'") && e.getMessage().contains("f8"),
        e.getMessage());
    write(f, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }");
    e = assertThrows(IOException.class, () -> NpyHeader.read(f));
    assertTrue(e.getMessage().contains("structured"), e.getMessage());
    write(f, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,, }");
    e = assertThrows(IOException.class, () -> NpyHeader.read(f));
    assertTrue(e.getMessage().contains("not a Python dict literal"), e.getMessage());
    write(f, "{\"descr\": \">i8\", \"shape\": (2, 3), \"fortran_order\": True}");
    NpyHeader h = NpyHeader.read(f);
    assertArrayEquals(new long[] {2, 3}, h.shape());
    assertTrue(h.fortran());
  }

  private static void write(Path f, String dict) throws IOException {
    byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[10 + h.length];
    System.arraycopy(NpyHeader.MAGIC, 0, out, 0, 6);
    out[6] = 1;
    out[8] = (byte) h.length;
    System.arraycopy(h, 0, out, 10, h.length);
    Files.write(f, out);
  }

  @Test
  void daskStacksAreReadWithTheirInfo() throws Exception {
    Array x = Array.fromNpyStack(fixture("dask_axis1"));
    assertArrayEquals(new long[] {4, 6}, x.shape());
    assertArrayEquals(new long[][] {{4}, {3, 3}}, x.chunks());
    assertEquals(DType.FLOAT64, x.dtype());
    same(Nd4j.arange(24).castTo(DataType.DOUBLE).reshape('c', 4, 6), x.compute(Fixtures.SYNC));
    Array y = Array.fromNpyStack(fixture("dask_axis0_i4"));
    assertArrayEquals(new long[][] {{3, 3, 4}, {3}}, y.chunks());
    assertEquals(DType.INT32, y.dtype());
    same(Nd4j.arange(30).reshape('c', 10, 3), y.compute(Fixtures.SYNC));
  }

  @Test
  void ourInfoIsDasksFormat() throws Exception {
    INDArray v = Nd4j.arange(24).castTo(DataType.DOUBLE).reshape('c', 4, 6);
    Path d = StorageTest.dir("ours-like-dask");
    try (var s = Tessera.useScheduler(Fixtures.SYNC)) {
      Array.fromINDArray(v, Chunks.of(4, 3)).toNpyStack(d, 1);
    }
    DaskInfo.Info ours = DaskInfo.read(d.resolve("info"));
    DaskInfo.Info dask = DaskInfo.read(fixture("dask_axis1/info"));
    assertArrayEquals(dask.chunks(), ours.chunks());
    assertEquals(dask.dtype(), ours.dtype());
    assertEquals(dask.axis(), ours.axis());
    assertFalse(Files.exists(d.resolve("info.json")));
    // the dtype is pickled as numpy.dtype('f8', False, True) with its state, as numpy does
    String raw = new String(Files.readAllBytes(d.resolve("info")), StandardCharsets.ISO_8859_1);
    assertTrue(raw.contains("numpy\ndtype\n"), raw);
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(Files.readAllBytes(fixture("dask_axis1/" + i + ".npy")),
          Files.readAllBytes(d.resolve(i + ".npy")), i + ".npy as numpy.save writes it");
    }
    for (DType t : DType.values()) {
      Path dt = StorageTest.dir("info-" + t);
      try (var s = Tessera.useScheduler(Fixtures.SYNC)) {
        Array.fromINDArray(Fixtures.data(3, t, 5, 2), Chunks.of(2, 2)).toNpyStack(dt, 0);
      }
      assertEquals(t, DaskInfo.read(dt.resolve("info")).dtype());
      assertEquals(t, Array.fromNpyStack(dt).dtype());
    }
  }

  @Test
  void gapsInAPlainStackAreRefusedWithTheFilesFound() throws Exception {
    ArrayException e = assertThrows(ArrayException.class,
        () -> Array.fromNpyStack(fixture("gap")));
    assertTrue(e.getMessage().contains("[0.npy, 1.npy, 3.npy]")
        && e.getMessage().contains("[2.npy] missing"), e.getMessage());
    Path d = StorageTest.dir("info-missing-block");
    try (var s = Tessera.useScheduler(Fixtures.SYNC)) {
      Array.fromINDArray(base(), Chunks.of(1, 4)).toNpyStack(d, 0);
    }
    Files.delete(d.resolve("1.npy"));
    e = assertThrows(ArrayException.class, () -> Array.fromNpyStack(d));
    assertTrue(e.getMessage().contains("[1.npy] are missing"), e.getMessage());
  }

  @Test
  void writingOverAnOlderLongerStackReplacesIt() throws Exception {
    Path d = StorageTest.dir("replace");
    Files.createDirectories(d);
    Files.writeString(d.resolve("info.json"), "{\"shape\": [9], \"axis\": 0, \"dtype\":"
        + " \"<f8\", \"chunks\": [1, 1, 1, 1, 1, 1, 1, 1, 1]}");
    Files.writeString(d.resolve("notes.txt"), "kept");
    try (var s = Tessera.useScheduler(Fixtures.SYNC)) {
      Array.fromINDArray(Nd4j.arange(9).castTo(DataType.DOUBLE), Chunks.of(1)).toNpyStack(d, 0);
      assertEquals(9, NpyStack.numbered(d).size());
      Array.fromINDArray(base(), Chunks.of(2, 4)).toNpyStack(d, 0);
    }
    assertEquals(java.util.Set.of(0, 1), NpyStack.numbered(d).keySet());
    assertFalse(Files.exists(d.resolve("info.json")));
    assertTrue(Files.exists(d.resolve("notes.txt")));
    Array back = Array.fromNpyStack(d);
    assertArrayEquals(new long[][] {{2, 1}, {4}}, back.chunks());
    same(base(), back.compute(Fixtures.SYNC));
    // an array that reads the stack cannot be written over it
    ArrayException e = assertThrows(ArrayException.class, () -> back.mul(2).toNpyStack(d, 0));
    assertTrue(e.getMessage().contains("reads"), e.getMessage());
  }

  @Test
  void missingDirectoryAndEmptyDirectoryAreNamed() throws Exception {
    Path d = StorageTest.dir("nothing-here");
    ArrayException e = assertThrows(ArrayException.class, () -> Array.fromNpyStack(d));
    assertTrue(e.getMessage().contains("no such directory"), e.getMessage());
    Files.createDirectories(d);
    e = assertThrows(ArrayException.class, () -> Array.fromNpyStack(d));
    assertTrue(e.getMessage().contains("0.npy"), e.getMessage());
  }
}
