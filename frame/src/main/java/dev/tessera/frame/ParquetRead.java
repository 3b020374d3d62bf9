package dev.tessera.frame;

import dev.tessera.frame.ParquetTypes.Col;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.api.TimeColumn;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.datetimes.PackedLocalDateTime;
import tech.tablesaw.columns.dates.PackedLocalDate;

/**
 * Reads the row groups of one split into a Tablesaw table, decoding only the column chunks of
 * the requested columns (parquet-java's column readers: every encoding and page version it
 * knows; page codecs from {@link ParquetCodecs}).
 */
final class ParquetRead {
  private ParquetRead() {}

  private static final long JULIAN_EPOCH_DAY = 2_440_588L; // Julian day number of 1970-01-01

  static ParquetReadOptions options(String file) {
    return ParquetReadOptions.builder(new PlainParquetConfiguration())
        .withCodecFactory(new ParquetCodecs(file)).build();
  }

  static ParquetFileReader open(String file) throws IOException {
    return ParquetFileReader.open(new LocalInputFile(Path.of(file)), options(file));
  }

  /** Reads the columns {@code names} (in this order) of the split's row groups. */
  static Table read(ParquetSplit split, List<String> names) throws IOException {
    try (ParquetFileReader r = open(split.path())) {
      MessageType file = r.getFooter().getFileMetaData().getSchema();
      List<Col> cols = new ArrayList<>();
      Types.MessageTypeBuilder b = Types.buildMessage();
      for (String n : names) {
        if (!file.containsField(n)) {
          throw new FrameException(split.path() + ": no column '" + n + "' (the file has "
              + file.getFields().stream().map(Type::getName).toList() + "); every file of"
              + " a Parquet input needs the same columns");
        }
        Type f = file.getType(n);
        cols.add(ParquetTypes.col(f, split.path()));
        b.addField(f);
      }
      MessageType projection = b.named(file.getName());
      r.setRequestedSchema(projection);
      int rows = Math.toIntExact(split.rows());
      List<Column<?>> out = new ArrayList<>();
      for (Col c : cols) {
        out.add(c.type().create(c.name()));
      }
      String createdBy = r.getFooter().getFileMetaData().getCreatedBy();
      for (int g : split.rowGroups()) {
        PageReadStore pages = r.readRowGroup(g);
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new Ignore(), projection,
            createdBy);
        long n = pages.getRowCount();
        for (int j = 0; j < cols.size(); j++) {
          ColumnDescriptor d = projection.getColumns().get(j);
          append(out.get(j), cols.get(j), store.getColumnReader(d), d, n, split.path());
        }
      }
      Table t = Table.create("parquet");
      for (Column<?> c : out) {
        if (c.size() != rows && !split.rowGroups().isEmpty()) {
          throw new FrameException(split.path() + ": column '" + c.name() + "' has "
              + c.size() + " values but the row groups have " + rows + " rows");
        }
        t.addColumns(c);
      }
      return t;
    }
  }

  /** Appends {@code n} values (present or missing) of one column chunk to {@code out}. */
  private static void append(Column<?> out, Col c, ColumnReader r, ColumnDescriptor d, long n,
      String file) {
    int max = d.getMaxDefinitionLevel();
    switch (c.kind()) {
      case DOUBLE -> {
        DoubleColumn o = (DoubleColumn) out;
        for (long i = 0; i < n; i++, r.consume()) {
          if (r.getCurrentDefinitionLevel() == max) {
            o.append(r.getDouble());
          } else {
            o.appendMissing();
          }
        }
      }
      case FLOAT -> {
        FloatColumn o = (FloatColumn) out;
        for (long i = 0; i < n; i++, r.consume()) {
          if (r.getCurrentDefinitionLevel() == max) {
            o.append(r.getFloat());
          } else {
            o.appendMissing();
          }
        }
      }
      case INT32 -> {
        IntColumn o = (IntColumn) out;
        for (long i = 0; i < n; i++, r.consume()) {
          if (r.getCurrentDefinitionLevel() == max) {
            o.append(r.getInteger());
          } else {
            o.appendMissing();
          }
        }
      }
      case UINT32, INT64, UINT64 -> {
        LongColumn o = (LongColumn) out;
        boolean unsigned = c.kind() == ParquetTypes.Kind.UINT32;
        boolean u64 = c.kind() == ParquetTypes.Kind.UINT64;
        for (long i = 0; i < n; i++, r.consume()) {
          if (r.getCurrentDefinitionLevel() == max) {
            long v = unsigned ? Integer.toUnsignedLong(r.getInteger()) : r.getLong();
            if (u64 && v < 0) {
              throw new FrameException(file + ", column '" + c.name() + "': UINT64 value "
                  + Long.toUnsignedString(v) + " does not fit a LONG column");
            }
            o.append(v);
          } else {
            o.appendMissing();
          }
        }
      }
      case BOOLEAN -> {
        BooleanColumn o = (BooleanColumn) out;
        for (long i = 0; i < n; i++, r.consume()) {
          if (r.getCurrentDefinitionLevel() == max) {
            o.append(r.getBoolean());
          } else {
            o.appendMissing();
          }
        }
      }
      case STRING -> {
        StringColumn o = (StringColumn) out;
        // dictionary-encoded pages repeat the same few values: decode each once
        Map<Binary, String> cache = new HashMap<>();
        for (long i = 0; i < n; i++, r.consume()) {
          if (r.getCurrentDefinitionLevel() == max) {
            Binary v = r.getBinary();
            String s = cache.get(v);
            if (s == null) {
              s = v.toStringUsingUTF8();
              if (cache.size() < 4096) {
                cache.put(v.copy(), s);
              }
            }
            o.append(s);
          } else {
            o.appendMissing();
          }
        }
      }
      case DATE -> {
        DateColumn o = (DateColumn) out;
        for (long i = 0; i < n; i++, r.consume()) {
          if (r.getCurrentDefinitionLevel() == max) {
            o.appendInternal(PackedLocalDate.pack(LocalDate.ofEpochDay(r.getInteger())));
          } else {
            o.appendMissing();
          }
        }
      }
      case TIME -> {
        TimeColumn o = (TimeColumn) out;
        boolean int32 = d.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT32;
        for (long i = 0; i < n; i++, r.consume()) {
          if (r.getCurrentDefinitionLevel() == max) {
            long v = int32 ? r.getInteger() : r.getLong();
            o.append(java.time.LocalTime.ofNanoOfDay(Math.multiplyExact(v,
                1_000_000_000L / c.perSecond())));
          } else {
            o.appendMissing();
          }
        }
      }
      case TIMESTAMP, INT96 -> {
        for (long i = 0; i < n; i++, r.consume()) {
          if (r.getCurrentDefinitionLevel() == max) {
            java.time.Instant t;
            if (c.kind() == ParquetTypes.Kind.INT96) {
              ByteBuffer bb = r.getBinary().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
              long nanos = bb.getLong();
              long day = Integer.toUnsignedLong(bb.getInt()) - JULIAN_EPOCH_DAY;
              t = java.time.Instant.ofEpochSecond(day * 86_400L, nanos);
            } else {
              long v = r.getLong();
              long ps = c.perSecond();
              t = java.time.Instant.ofEpochSecond(Math.floorDiv(v, ps),
                  Math.floorMod(v, ps) * (1_000_000_000L / ps));
            }
            if (out instanceof InstantColumn ic) {
              ic.append(t);
            } else {
              ((DateTimeColumn) out).appendInternal(PackedLocalDateTime.pack(
                  java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(),
                      java.time.ZoneOffset.UTC)));
            }
          } else {
            out.appendMissing();
          }
        }
      }
      case DECIMAL -> {
        DoubleColumn o = (DoubleColumn) out;
        PrimitiveTypeName p = d.getPrimitiveType().getPrimitiveTypeName();
        for (long i = 0; i < n; i++, r.consume()) {
          if (r.getCurrentDefinitionLevel() == max) {
            java.math.BigInteger unscaled = switch (p) {
              case INT32 -> java.math.BigInteger.valueOf(r.getInteger());
              case INT64 -> java.math.BigInteger.valueOf(r.getLong());
              default -> new java.math.BigInteger(r.getBinary().getBytes());
            };
            o.append(new java.math.BigDecimal(unscaled, c.scale()).doubleValue());
          } else {
            o.appendMissing();
          }
        }
      }
      default -> throw new FrameException(file + ": cannot read column '" + c.name() + "'");
    }
  }

  /** Column readers want a record converter; values are taken from the readers directly. */
  static final class Ignore extends GroupConverter {
    @Override
    public Converter getConverter(int i) {
      return new PrimitiveConverter() {};
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
