package dev.tessera.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.TaskFailedException;
import dev.tessera.schedulers.Schedulers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/**
 * Reads files that other Parquet writers made (parquet-mr, parquet-cpp/pyarrow, Impala: the
 * {@code data/} directory of the Apache parquet-testing repository) and checks their values
 * against what the files are documented to hold. The files are not part of this repository:
 * the test looks in {@code -Dtessera.parquetTesting=DIR} or {@code $TESSERA_PARQUET_TESTING}, else in {@code shared/parquet-testing}
 * beside the repository, and is skipped, saying so, when neither exists (docs/parquet.md
 * lists the files).
 */
class ParquetTestingTest {
  static final Path DIR = Path.of(System.getProperty("tessera.parquetTesting",
      System.getenv().getOrDefault("TESSERA_PARQUET_TESTING", "../../shared/parquet-testing")));

  @BeforeAll
  static void filesPresent() {
    Assumptions.assumeTrue(Files.isRegularFile(DIR.resolve("alltypes_plain.parquet")),
        "apache/parquet-testing data files not found in " + DIR.toAbsolutePath()
        + " (set TESSERA_PARQUET_TESTING=DIR)");
  }

  static Table read(String file) {
    return Frame.readParquet(DIR.resolve(file).toString()).compute(Schedulers.sync());
  }

  static Table read(String file, ParquetOptions o) {
    return Frame.readParquet(DIR.resolve(file).toString(), o).compute(Schedulers.sync());
  }

  @Test
  void alltypesPlainSnappyAndDictionaryFromImpala() {
    Schema types = Schema.of("id", ColumnType.INTEGER, "bool_col", ColumnType.BOOLEAN,
        "tinyint_col", ColumnType.INTEGER, "smallint_col", ColumnType.INTEGER,
        "int_col", ColumnType.INTEGER, "bigint_col", ColumnType.LONG,
        "float_col", ColumnType.FLOAT, "double_col", ColumnType.DOUBLE,
        "date_string_col", ColumnType.STRING, "string_col", ColumnType.STRING,
        "timestamp_col", ColumnType.INSTANT);
    Table plain = read("alltypes_plain.parquet");
    assertEquals(types, Schema.of(plain));
    assertEquals(List.of(4, 5, 6, 7, 2, 3, 0, 1), plain.intColumn("id").asList());
    for (String f : List.of("alltypes_plain.parquet", "alltypes_plain.snappy.parquet",
        "alltypes_dictionary.parquet")) {
      Table t = read(f);
      assertEquals(types, Schema.of(t), f);
      for (int i = 0; i < t.rowCount(); i++) {
        int id = t.intColumn("id").get(i);
        int odd = id % 2;
        assertEquals(odd == 0, t.booleanColumn("bool_col").get(i), f);
        assertEquals(odd, t.intColumn("int_col").get(i), f);
        assertEquals(10L * odd, t.longColumn("bigint_col").get(i), f);
        assertEquals(1.1f * odd, t.floatColumn("float_col").get(i), 1e-6, f);
        assertEquals(10.1 * odd, t.doubleColumn("double_col").get(i), 1e-12, f);
        assertEquals(String.valueOf(odd), t.stringColumn("string_col").get(i), f);
      }
    }
    // INT96 (Impala's timestamps): row id 4 is 2009-03-01 00:00, id 5 one minute later
    assertEquals(Instant.parse("2009-03-01T00:00:00Z"), plain.instantColumn("timestamp_col")
        .get(0));
    assertEquals(Instant.parse("2009-03-01T00:01:00Z"), plain.instantColumn("timestamp_col")
        .get(1));
    assertEquals("03/01/09", plain.stringColumn("date_string_col").get(0));
    assertEquals(List.of(6, 7), read("alltypes_plain.snappy.parquet").intColumn("id")
        .asList());
  }

  @Test
  void deltaEncodingsWithNullsMatchTheirExpectedCsv() throws Exception {
    Table t = read("delta_encoding_optional_column.parquet");
    List<String> lines = Files.readAllLines(DIR.resolve(
        "delta_encoding_optional_column_expect.csv"));
    assertEquals(lines.size() - 1, t.rowCount());
    int missing = 0;
    for (int i = 0; i < t.rowCount(); i++) {
      String[] fields = lines.get(i + 1).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
      assertEquals(t.columnCount(), fields.length);
      for (int j = 0; j < fields.length; j++) {
        String want = fields[j].replaceAll("^\"|\"$", "");
        boolean isMissing = t.column(j).isMissing(i);
        missing += isMissing ? 1 : 0;
        assertEquals(want, isMissing ? "" : String.valueOf(t.column(j).get(i)),
            "row " + i + " column " + t.column(j).name());
      }
    }
    assertTrue(missing > 0, "the file has nulls");
    Table strings = read("delta_length_byte_array.parquet");
    for (int i = 0; i < strings.rowCount(); i++) {
      assertEquals("apple_banana_mango" + (i * i), strings.stringColumn("FRUIT").get(i));
    }
    assertTrue(strings.rowCount() > 100);
  }

  @Test
  void codecsZstdGzipMembersAndLz4Raw() {
    Table bss = read("byte_stream_split.zstd.parquet");
    assertEquals(Schema.of("f32", ColumnType.FLOAT, "f64", ColumnType.DOUBLE), Schema.of(bss));
    assertEquals(1.764052391052246f, bss.floatColumn("f32").get(0));
    assertEquals(-1.3065268517353166, bss.doubleColumn("f64").get(0));
    double m = bss.doubleColumn("f64").mean(); // standard normals
    assertTrue(Math.abs(m) < 0.5 && bss.rowCount() >= 100, "mean " + m);

    Table gz = read("concatenated_gzip_members.parquet"); // 513 UINT64: 1..513
    assertEquals(513, gz.rowCount());
    for (int i = 0; i < 513; i++) {
      assertEquals(i + 1L, gz.longColumn("long_col").get(i));
    }

    Table lz = read("lz4_raw_compressed.parquet");
    assertEquals(List.of(1593604800L, 1593604800L, 1593604801L, 1593604801L),
        lz.longColumn("c0").asList());
    assertEquals(List.of("abc", "def", "abc", "def"), lz.stringColumn("c1").asList());
    assertEquals(List.of(42.0, 7.7, 42.125, 7.7), lz.doubleColumn("v11").asList());

    Table dec = read("int32_decimal.parquet"); // DECIMAL(4, 2) on INT32: 1.00, 2.00, ...
    for (int i = 0; i < dec.rowCount(); i++) {
      assertEquals(i + 1.0, dec.doubleColumn("value").get(i), 1e-12);
    }
  }

  @Test
  void unsupportedCodecFailsNamingCodecAndFile() {
    TaskFailedException e = assertThrows(TaskFailedException.class,
        () -> read("hadoop_lz4_compressed.parquet"));
    FrameException fe = assertInstanceOf(FrameException.class, e.getCause());
    assertTrue(fe.getMessage().contains("hadoop_lz4_compressed.parquet")
        && fe.getMessage().contains("codec LZ4 is not supported"), fe.getMessage());
  }

  @Test
  void nestedColumnsAreRefusedUnlessLeftOut() {
    for (String f : List.of("datapage_v2.snappy.parquet", "nested_lists.snappy.parquet",
        "nulls.snappy.parquet")) {
      GraphException e = assertThrows(GraphException.class, () -> read(f));
      assertTrue(e.getMessage().contains(f) && e.getMessage().contains("flat columns only")
          && e.getMessage().contains("ParquetOptions.columns"), e.getMessage());
    }
    Table v2 = read("datapage_v2.snappy.parquet", ParquetOptions.defaults().columns("b", "a"));
    assertEquals(List.of("b", "a"), v2.columnNames());
    assertEquals(5, v2.rowCount());
    assertEquals("abc", v2.stringColumn("a").get(0));
  }

  @Test
  void nanInStatisticsNeverSkipsARowGroup() {
    // pyarrow 0.8 wrote NaN as the maximum: statistics must not rule the row group out
    Table t = read("nan_in_stats.parquet", ParquetOptions.defaults()
        .filter(ParquetFilter.of("x", ">", 0.5)));
    assertEquals(List.of(1.0), t.doubleColumn("x").asList());
  }
}
