package dev.tessera.frame;

import dev.tessera.graph.spi.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Ships Tablesaw tables between processes column by column: numeric and date columns as their
 * primitive arrays in bulk (missing values travel as Tablesaw's own sentinels), strings as
 * their distinct values and a code per row (Tablesaw's textual string columns one by one), and
 * any other column type as a list of its values. A {@link Table} is not
 * {@code Serializable}; this is also the cheapest form measured. Found by every process through
 * {@code META-INF/services}.
 */
public final class TableCodec implements Codec<Table> {
  /** Creates the codec; the service loader calls this. */
  public TableCodec() {}

  @Override
  public String id() {
    return "tablesaw";
  }

  @Override
  public Class<Table> type() {
    return Table.class;
  }

  @Override
  public void write(Table t, DataOutputStream out) throws IOException {
    out.writeUTF(t.name() == null ? "" : t.name());
    out.writeInt(t.columnCount());
    for (Column<?> c : t.columns()) {
      out.writeUTF(c.name());
      out.writeUTF(c.type().name());
      out.writeByte(kind(c));
      if (c instanceof DoubleColumn d) {
        double[] v = d.asDoubleArray();
        bulk(out, v.length * 8, b -> b.asDoubleBuffer().put(v));
      } else if (c instanceof IntColumn i) {
        int[] v = i.asIntArray();
        bulk(out, v.length * 4, b -> b.asIntBuffer().put(v));
      } else if (c instanceof LongColumn l) {
        long[] v = l.asLongArray();
        bulk(out, v.length * 8, b -> b.asLongBuffer().put(v));
      } else if (c instanceof FloatColumn f) {
        float[] v = f.asFloatArray();
        bulk(out, v.length * 4, b -> b.asFloatBuffer().put(v));
      } else if (c instanceof ShortColumn s) {
        short[] v = s.asShortArray();
        bulk(out, v.length * 2, b -> b.asShortBuffer().put(v));
      } else if (c instanceof DateColumn d) {
        int[] v = new int[d.size()];
        for (int r = 0; r < v.length; r++) {
          v[r] = d.getIntInternal(r);
        }
        bulk(out, v.length * 4, b -> b.asIntBuffer().put(v));
      } else if (c instanceof StringColumn s && StringCodes.coded(s)) {
        // the distinct values once, then a code per row: the reader builds its dictionary
        // from the codes without hashing a string per row
        StringCodes.Encoded e = StringCodes.encode(s);
        out.writeInt(e.values().length);
        for (String v : e.values()) {
          byte[] b = v.getBytes(StandardCharsets.UTF_8);
          out.writeInt(b.length);
          out.write(b);
        }
        int[] codes = e.codes();
        bulk(out, codes.length * 4, b -> b.asIntBuffer().put(codes));
      } else if (c instanceof StringColumn s) {
        out.writeInt(s.size());
        for (int r = 0; r < s.size(); r++) {
          out.writeUTF(s.get(r));
        }
      } else {
        List<Object> values = new ArrayList<>(c.size());
        for (int r = 0; r < c.size(); r++) {
          values.add(c.isMissing(r) ? null : c.get(r));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
          o.writeObject(values);
        }
        out.writeInt(bytes.size());
        bytes.writeTo(out);
      }
    }
  }

  /** The encoding of a column, written before its data. */
  private static byte kind(Column<?> c) {
    if (c instanceof DoubleColumn) {
      return 'D';
    } else if (c instanceof IntColumn) {
      return 'I';
    } else if (c instanceof LongColumn) {
      return 'L';
    } else if (c instanceof FloatColumn) {
      return 'F';
    } else if (c instanceof ShortColumn) {
      return 'S';
    } else if (c instanceof DateColumn) {
      return 'T';
    } else if (c instanceof StringColumn s) {
      return (byte) (StringCodes.coded(s) ? 'K' : 'X');
    }
    return 'O';
  }

  private interface Fill {
    void into(ByteBuffer b);
  }

  private static void bulk(DataOutputStream out, int bytes, Fill fill) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(bytes);
    fill.into(b);
    out.writeInt(bytes);
    out.write(b.array());
  }

  private static ByteBuffer readBulk(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return ByteBuffer.wrap(b);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Table read(DataInputStream in) throws IOException {
    Table t = Table.create(in.readUTF());
    int columns = in.readInt();
    for (int k = 0; k < columns; k++) {
      String name = in.readUTF();
      String typeName = in.readUTF();
      byte kind = in.readByte();
      Column<?> c;
      if (kind == 'D') {
        ByteBuffer b = readBulk(in);
        double[] v = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(v);
        c = Wrap.doubles(name, v);
      } else if (kind == 'I') {
        ByteBuffer b = readBulk(in);
        int[] v = new int[b.remaining() / 4];
        b.asIntBuffer().get(v);
        c = Wrap.ints(name, v);
      } else if (kind == 'L') {
        ByteBuffer b = readBulk(in);
        long[] v = new long[b.remaining() / 8];
        b.asLongBuffer().get(v);
        c = Wrap.longs(name, v);
      } else if (kind == 'F') {
        ByteBuffer b = readBulk(in);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        c = FloatColumn.create(name, v);
      } else if (kind == 'S') {
        ByteBuffer b = readBulk(in);
        short[] v = new short[b.remaining() / 2];
        b.asShortBuffer().get(v);
        c = ShortColumn.create(name, v);
      } else if (kind == 'T') {
        ByteBuffer b = readBulk(in);
        int[] v = new int[b.remaining() / 4];
        b.asIntBuffer().get(v);
        c = DateColumn.createInternal(name, v);
      } else if (kind == 'K') {
        String[] values = new String[in.readInt()];
        for (int i = 0; i < values.length; i++) {
          byte[] b = new byte[in.readInt()];
          in.readFully(b);
          values[i] = new String(b, StandardCharsets.UTF_8);
        }
        ByteBuffer b = readBulk(in);
        int[] codes = new int[b.remaining() / 4];
        b.asIntBuffer().get(codes);
        c = StringCodes.decode(name, new StringCodes.Encoded(values, codes));
      } else if (kind == 'X') {
        int n = in.readInt();
        String[] v = new String[n];
        for (int r = 0; r < n; r++) {
          v[r] = in.readUTF();
        }
        c = StringColumn.create(name, v);
      } else {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        List<Object> values;
        try (ObjectInputStream o = new ObjectInputStream(new ByteArrayInputStream(b))) {
          values = (List<Object>) o.readObject();
        } catch (ClassNotFoundException e) {
          throw new IOException("column " + name + ": " + e, e);
        }
        Column col = ColumnType.valueOf(typeName).create(name);
        for (Object v : values) {
          if (v == null) {
            col.appendMissing();
          } else {
            col.appendObj(v);
          }
        }
        c = col;
      }
      t.addColumns(c);
    }
    return t;
  }

  @Override
  public long sizeOf(Table t) {
    long bytes = 0;
    for (Column<?> c : t.columns()) {
      bytes += (long) c.size() * (c instanceof StringColumn ? 16 : c.type().byteSize());
    }
    return bytes;
  }
}
