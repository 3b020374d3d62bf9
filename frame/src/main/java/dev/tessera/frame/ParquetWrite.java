package dev.tessera.frame;

import dev.tessera.graph.Lazy;
import dev.tessera.graph.core.Key;
import dev.tessera.graph.core.Layer;
import dev.tessera.graph.core.Task;
import dev.tessera.graph.core.TaskFunction;
import dev.tessera.graph.core.TaskGraph;
import dev.tessera.graph.core.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.api.TimeColumn;
import tech.tablesaw.columns.Column;

/**
 * Writes partitions as Parquet files, one per partition ({@code part-00000.parquet}, ...),
 * with no {@code _metadata} file: the layout pandas, pyarrow, Spark, DuckDB and Dask read as
 * one dataset. Every column is optional (missing values are nulls), with the types of
 * {@link ParquetTypes#messageType}.
 */
final class ParquetWrite {
  private ParquetWrite() {}

  static List<String> toParquet(Frame f, Path dir, ParquetOptions o) {
    MessageType type = ParquetTypes.messageType(f.schema()); // unsupported types fail now
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("toParquet: cannot create " + dir, e);
    }
    List<Key> in = f.outputKeys();
    String name = Tokens.name("to-parquet", in, dir.toAbsolutePath().toString(),
        o.codec().name(), o.rowGroupBytes());
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      Key k = Key.of(name, i);
      String file = dir.resolve(String.format("part-%05d.parquet", i)).toString();
      tasks.put(k, Task.of(new WritePart(file, type.toString(), o.codec(), o.rowGroupBytes()),
          in.get(i)));
      out.add(k);
    }
    TaskGraph g = TaskGraph.of(Layer.of(name, "to-parquet", tasks), f.graph());
    return Lazy.of(g, out, ParquetWrite::strings).compute();
  }

  private static List<String> strings(List<Object> xs) {
    List<String> out = new ArrayList<>();
    for (Object x : xs) {
      out.add((String) x);
    }
    return out;
  }

  /** Writes one partition to one file (replacing it) and returns the file's path. */
  record WritePart(String file, String type, ParquetCodec codec, long rowGroupBytes)
      implements TaskFunction {
    @Override
    public Object apply(Object[] args) throws IOException {
      write((Table) args[0], Path.of(file), type, codec, rowGroupBytes);
      return file;
    }
  }

  static void write(Table t, Path file, String type, ParquetCodec codec, long rowGroupBytes)
      throws IOException {
    MessageType schema = org.apache.parquet.schema.MessageTypeParser.parseMessageType(type);
    try (ParquetWriter<Integer> w = new Builder(new LocalOutputFile(file), new Rows(t, schema))
        .withConf(new PlainParquetConfiguration())
        .withCodecFactory(new ParquetCodecs(file.toString()))
        .withCompressionCodec(ParquetCodecs.name(codec))
        .withRowGroupSize(rowGroupBytes)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build()) {
      for (int i = 0; i < t.rowCount(); i++) {
        w.write(i);
      }
    }
  }

  /** Builds a writer of one table's rows, each record being a row number. */
  static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
    private final Rows rows;

    Builder(OutputFile file, Rows rows) {
      super(file);
      this.rows = rows;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    @SuppressWarnings("deprecation") // still abstract in parquet-java 1.15: must be overridden
    protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
      return rows;
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(ParquetConfiguration conf) {
      return rows;
    }
  }

  /** Hands one row of the table at a time to parquet-java's record consumer. */
  static final class Rows extends WriteSupport<Integer> {
    private final Table t;
    private final MessageType schema;
    private final List<Column<?>> cols;
    private RecordConsumer out;

    Rows(Table t, MessageType schema) {
      this.t = t;
      this.schema = schema;
      this.cols = t.columns();
    }

    @Override
    @SuppressWarnings("deprecation") // still abstract in parquet-java 1.15: must be overridden
    public WriteContext init(Configuration conf) {
      return new WriteContext(schema, Map.of("writer", "tessera"));
    }

    @Override
    public WriteContext init(ParquetConfiguration conf) {
      return new WriteContext(schema, Map.of("writer", "tessera"));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      out = recordConsumer;
    }

    @Override
    public void write(Integer row) {
      int i = row;
      out.startMessage();
      for (int j = 0; j < cols.size(); j++) {
        Column<?> c = cols.get(j);
        if (c.isMissing(i)) {
          continue;
        }
        String name = schema.getFieldName(j);
        out.startField(name, j);
        ColumnType ty = c.type();
        if (c instanceof DoubleColumn d) {
          out.addDouble(d.getDouble(i));
        } else if (c instanceof LongColumn l) {
          out.addLong(l.getLong(i));
        } else if (c instanceof IntColumn n) {
          out.addInteger(n.getInt(i));
        } else if (c instanceof ShortColumn s) {
          out.addInteger(s.getShort(i));
        } else if (c instanceof FloatColumn fl) {
          out.addFloat(fl.getFloat(i));
        } else if (c instanceof BooleanColumn b) {
          out.addBoolean(b.get(i));
        } else if (c instanceof DateColumn d) {
          out.addInteger((int) d.get(i).toEpochDay());
        } else if (c instanceof DateTimeColumn d) {
          LocalDateTime x = d.get(i);
          out.addLong(micros(x.toEpochSecond(ZoneOffset.UTC), x.getNano()));
        } else if (c instanceof InstantColumn d) {
          java.time.Instant x = d.get(i);
          out.addLong(micros(x.getEpochSecond(), x.getNano()));
        } else if (c instanceof TimeColumn tc) {
          out.addLong(tc.get(i).toNanoOfDay() / 1000);
        } else if (ty == ColumnType.STRING) {
          out.addBinary(Binary.fromString(c.getString(i)));
        } else {
          throw new FrameException("toParquet: column '" + c.name() + "' is " + ty.name());
        }
        out.endField(name, j);
      }
      out.endMessage();
    }

    private static long micros(long seconds, int nanos) {
      return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1000);
    }
  }
}
