package dev.tessera.frame;

import java.io.Serializable;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import tech.tablesaw.api.ColumnType;

/**
 * Parquet's physical and logical types against Tablesaw's column types, both ways. Reading:
 * INT32 and INT(8/16/32) to INTEGER, UINT32, INT64 and UINT64 (up to 2^63 - 1) to LONG, FLOAT, DOUBLE, BOOLEAN,
 * strings (STRING, ENUM, JSON and unannotated BYTE_ARRAY, read as UTF-8) to STRING, DATE to
 * LOCAL_DATE, TIME to LOCAL_TIME, TIMESTAMP to LOCAL_DATE_TIME (or INSTANT when adjusted to
 * UTC, as is Spark's INT96), DECIMAL to DOUBLE (nearest double). Nested columns (groups,
 * lists, maps, repeated fields) and other types are refused with the column's name.
 */
final class ParquetTypes {
  private ParquetTypes() {}

  /** How a column's values are decoded. */
  enum Kind { INT32, UINT32, INT64, UINT64, FLOAT, DOUBLE, BOOLEAN, STRING, DATE, TIME, TIMESTAMP,
    INT96, DECIMAL }

  /**
   * One flat column: its Tablesaw type, how to decode it, and for times and timestamps the
   * number of units per second, for decimals the scale.
   */
  record Col(String name, ColumnType type, Kind kind, long perSecond, int scale)
      implements Serializable {}

  /** Returns how to read a top-level field, or throws naming the file and the field. */
  static Col col(Type field, String file) {
    String name = field.getName();
    if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
      String what = field.getLogicalTypeAnnotation() == null ? (field.isPrimitive()
          ? "a repeated field" : "a group (struct)") : field.getLogicalTypeAnnotation()
          .toString() + " column";
      throw new FrameException(file + ": column '" + name + "' is " + what + "; frames hold"
          + " flat columns only: read the others with ParquetOptions.columns(...), or"
          + " flatten the file first (pyarrow: table.flatten(), or explode the lists)");
    }
    PrimitiveType p = field.asPrimitiveType();
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    PrimitiveTypeName t = p.getPrimitiveTypeName();
    if (a instanceof DecimalLogicalTypeAnnotation d) {
      return new Col(name, ColumnType.DOUBLE, Kind.DECIMAL, 0, d.getScale());
    }
    switch (t) {
      case BOOLEAN:
        return new Col(name, ColumnType.BOOLEAN, Kind.BOOLEAN, 0, 0);
      case FLOAT:
        return new Col(name, ColumnType.FLOAT, Kind.FLOAT, 0, 0);
      case DOUBLE:
        return new Col(name, ColumnType.DOUBLE, Kind.DOUBLE, 0, 0);
      case INT96:
        return new Col(name, ColumnType.INSTANT, Kind.INT96, 1_000_000_000L, 0);
      case INT32:
        if (a == null) {
          return new Col(name, ColumnType.INTEGER, Kind.INT32, 0, 0);
        }
        if (a instanceof IntLogicalTypeAnnotation i) {
          return i.isSigned() ? new Col(name, ColumnType.INTEGER, Kind.INT32, 0, 0)
              : new Col(name, i.getBitWidth() == 32 ? ColumnType.LONG : ColumnType.INTEGER,
                  i.getBitWidth() == 32 ? Kind.UINT32 : Kind.INT32, 0, 0);
        }
        if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          return new Col(name, ColumnType.LOCAL_DATE, Kind.DATE, 0, 0);
        }
        if (a instanceof TimeLogicalTypeAnnotation) {
          return new Col(name, ColumnType.LOCAL_TIME, Kind.TIME, 1000, 0);
        }
        break;
      case INT64:
        if (a == null || a instanceof IntLogicalTypeAnnotation i && i.isSigned()) {
          return new Col(name, ColumnType.LONG, Kind.INT64, 0, 0);
        }
        if (a instanceof IntLogicalTypeAnnotation) { // UINT64: a value past 2^63 - 1 fails
          return new Col(name, ColumnType.LONG, Kind.UINT64, 0, 0);
        }
        if (a instanceof TimeLogicalTypeAnnotation tm) {
          return new Col(name, ColumnType.LOCAL_TIME, Kind.TIME, perSecond(tm.getUnit()), 0);
        }
        if (a instanceof TimestampLogicalTypeAnnotation ts) {
          return new Col(name, ts.isAdjustedToUTC() ? ColumnType.INSTANT
              : ColumnType.LOCAL_DATE_TIME, Kind.TIMESTAMP, perSecond(ts.getUnit()), 0);
        }
        break;
      case BINARY:
        if (a == null || a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          return new Col(name, ColumnType.STRING, Kind.STRING, 0, 0);
        }
        break;
      default:
        break;
    }
    throw new FrameException(file + ": column '" + name + "' has Parquet type " + p
        + ", which frames do not read; leave it out with ParquetOptions.columns(...) or"
        + " convert it when writing the file");
  }

  private static long perSecond(TimeUnit u) {
    return switch (u) {
      case MILLIS -> 1_000L;
      case MICROS -> 1_000_000L;
      case NANOS -> 1_000_000_000L;
    };
  }

  /** Returns the Parquet schema that {@link Frame#toParquet} writes for a frame's meta. */
  static MessageType messageType(Schema s) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (int i = 0; i < s.size(); i++) {
      String n = s.names().get(i);
      ColumnType t = s.type(i);
      if (t == ColumnType.LONG) {
        b.optional(PrimitiveTypeName.INT64).named(n);
      } else if (t == ColumnType.INTEGER) {
        b.optional(PrimitiveTypeName.INT32).named(n);
      } else if (t == ColumnType.SHORT) {
        b.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(16, true))
            .named(n);
      } else if (t == ColumnType.DOUBLE) {
        b.optional(PrimitiveTypeName.DOUBLE).named(n);
      } else if (t == ColumnType.FLOAT) {
        b.optional(PrimitiveTypeName.FLOAT).named(n);
      } else if (t == ColumnType.BOOLEAN) {
        b.optional(PrimitiveTypeName.BOOLEAN).named(n);
      } else if (t == ColumnType.STRING) {
        b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(n);
      } else if (t == ColumnType.LOCAL_DATE) {
        b.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(n);
      } else if (t == ColumnType.LOCAL_DATE_TIME || t == ColumnType.INSTANT) {
        b.optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(
            t == ColumnType.INSTANT, TimeUnit.MICROS)).named(n);
      } else if (t == ColumnType.LOCAL_TIME) {
        b.optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timeType(false,
            TimeUnit.MICROS)).named(n);
      } else {
        throw new dev.tessera.graph.GraphException("toParquet: column '" + n + "' is "
            + t.name() + ", which has no Parquet type here; convert it first");
      }
    }
    return b.named("schema");
  }
}
