package dev.tessera.frame;

import dev.tessera.graph.GraphException;
import dev.tessera.graph.core.Checks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A frame's "meta": its column names and Tablesaw column types, in order, known before anything
 * is computed. Immutable and serializable (types are kept by name).
 *
 * <pre>{@code
 * Schema s = Schema.of("name", ColumnType.STRING, "x", ColumnType.DOUBLE);
 * }</pre>
 */
public final class Schema implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> names;
  private final List<String> typeNames;

  private Schema(List<String> names, List<String> typeNames) {
    this.names = List.copyOf(names);
    this.typeNames = List.copyOf(typeNames);
    if (new java.util.HashSet<>(names).size() != names.size()) {
      throw new GraphException("duplicate column names in " + names + ": every column of a frame"
          + " needs its own name (rename one of them)");
    }
  }

  /**
   * Returns the schema of the given columns.
   *
   * @param columns column names to types, in order
   * @return the schema
   */
  public static Schema of(Map<String, ColumnType> columns) {
    Objects.requireNonNull(columns, "columns");
    List<String> n = new ArrayList<>();
    List<String> t = new ArrayList<>();
    columns.forEach((k, v) -> {
      n.add(k);
      t.add(v.name());
    });
    return new Schema(n, t);
  }

  /**
   * Returns the schema of alternating names and types: {@code of("a", LONG, "b", STRING)}.
   *
   * @param namesAndTypes a name, then its {@link ColumnType}, and so on
   * @return the schema
   * @throws IllegalArgumentException if the arguments do not alternate
   */
  public static Schema of(Object... namesAndTypes) {
    Checks.noNulls(namesAndTypes, "namesAndTypes");
    if (namesAndTypes.length % 2 != 0) {
      throw new IllegalArgumentException("expected name, type, name, type, ...");
    }
    Map<String, ColumnType> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      if (!(namesAndTypes[i] instanceof String n) || !(namesAndTypes[i + 1] instanceof ColumnType t)) {
        throw new IllegalArgumentException("expected name, type, name, type, ... at " + i);
      }
      m.put(n, t);
    }
    return of(m);
  }

  /**
   * Returns the schema of a table.
   *
   * @param table the table
   * @return its column names and types
   */
  public static Schema of(Table table) {
    Objects.requireNonNull(table, "table");
    Map<String, ColumnType> m = new LinkedHashMap<>();
    for (Column<?> c : table.columns()) {
      m.put(c.name(), c.type());
    }
    return of(m);
  }

  /** {@return the column names, in order; immutable} */
  public List<String> names() {
    return names;
  }

  /** {@return the number of columns} */
  public int size() {
    return names.size();
  }

  /**
   * Returns whether there is a column {@code name}.
   *
   * @param name the column name
   * @return whether it exists
   */
  public boolean has(String name) {
    Objects.requireNonNull(name, "name");
    return names.contains(name);
  }

  /**
   * Returns the position of a column.
   *
   * @param name the column name
   * @return its position, from 0
   * @throws GraphException if there is no such column
   */
  public int indexOf(String name) {
    Objects.requireNonNull(name, "name");
    int i = names.indexOf(name);
    if (i < 0) {
      throw new GraphException("no column '" + name + "'; the columns are " + names);
    }
    return i;
  }

  /**
   * Returns the type of a column.
   *
   * @param name the column name
   * @return its type
   * @throws GraphException if there is no such column
   */
  public ColumnType type(String name) {
    Objects.requireNonNull(name, "name");
    return ColumnType.valueOf(typeNames.get(indexOf(name)));
  }

  /**
   * Returns the type of the column at a position.
   *
   * @param i the position
   * @return its type
   */
  public ColumnType type(int i) {
    return ColumnType.valueOf(typeNames.get(i));
  }

  /** {@return the columns as a map from name to type, in order; a new map} */
  public Map<String, ColumnType> asMap() {
    Map<String, ColumnType> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      m.put(names.get(i), type(i));
    }
    return m;
  }

  /**
   * Checks that every column exists.
   *
   * @param what what the columns are for, for the message (such as {@code "groupby"})
   * @param columns the column names
   * @throws GraphException naming the first missing column and the columns there are
   */
  public void require(String what, Collection<String> columns) {
    Objects.requireNonNull(what, "what");
    Checks.noNulls(columns, "columns");
    for (String c : columns) {
      if (!has(c)) {
        throw new GraphException(what + ": no column '" + c + "'; the columns are " + names);
      }
    }
  }

  /**
   * Returns the schema of a subset of the columns, in the given order.
   *
   * @param columns the column names
   * @return the schema
   */
  public Schema select(List<String> columns) {
    Checks.noNulls(columns, "columns");
    require("select", columns);
    List<String> t = new ArrayList<>();
    for (String c : columns) {
      t.add(typeNames.get(indexOf(c)));
    }
    return new Schema(columns, t);
  }

  /**
   * Returns this schema with a column added at the end, or replaced in place if it exists.
   *
   * @param name the column name
   * @param type its type
   * @return the schema
   */
  public Schema with(String name, ColumnType type) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    List<String> n = new ArrayList<>(names);
    List<String> t = new ArrayList<>(typeNames);
    int i = n.indexOf(name);
    if (i >= 0) {
      t.set(i, type.name());
    } else {
      n.add(name);
      t.add(type.name());
    }
    return new Schema(n, t);
  }

  /** {@return an empty table with these columns} */
  public Table emptyTable() {
    Table t = Table.create("frame");
    for (int i = 0; i < names.size(); i++) {
      t.addColumns(type(i).create(names.get(i)));
    }
    return t;
  }

  /**
   * Checks that a partition has exactly these columns and types.
   *
   * @param t the partition
   * @param where which partition, for the message
   * @throws FrameException if the columns or types differ
   */
  void check(Table t, String where) {
    Schema actual = Schema.of(t);
    if (!actual.equals(this)) {
      throw new FrameException(where + " has columns " + actual + " but the frame's meta says "
          + this + "; give the right meta, or convert the partition's columns");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s && names.equals(s.names) && typeNames.equals(s.typeNames);
  }

  @Override
  public int hashCode() {
    return names.hashCode() * 31 + typeNames.hashCode();
  }

  /** Returns {@code {name: TYPE, ...}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.size(); i++) {
      sb.append(i > 0 ? ", " : "").append(names.get(i)).append(": ").append(typeNames.get(i));
    }
    return sb.append('}').toString();
  }

  List<String> typeNames() {
    return Collections.unmodifiableList(typeNames);
  }
}
