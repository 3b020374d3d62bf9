package dev.tessera.frame;

import dev.tessera.graph.GraphException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tech.tablesaw.api.ColumnType;

/**
 * What {@code readCsv} does before anything runs: finds the files (a file, a directory or a
 * glob), reads every header (they must agree), infers the column types from a sample of the
 * first file, and cuts the files into byte splits.
 */
final class CsvScan {
  private CsvScan() {}

  static final long MAX_SPLIT = 1L << 30;

  static Source.Csv scan(String pattern, CsvOptions o) {
    List<Path> files = files(pattern);
    List<String> header = null;
    for (Path f : files) {
      List<String> h = CsvReader.header(f, gzip(f), o.separator());
      if (header == null) {
        header = h;
      } else if (!header.equals(h)) {
        throw new GraphException("readCsv(" + pattern + "): " + f + " has header " + h
            + " but " + files.get(0) + " has " + header + "; every file must have the same"
            + " columns");
      }
    }
    CsvFormat format = new CsvFormat(o.separator(), header, o.missingValues(),
        o.types().keySet());
    for (String c : o.types().keySet()) {
      if (!header.contains(c)) {
        throw new GraphException("readCsv(" + pattern + "): a type is given for column '" + c
            + "' but the header is " + header);
      }
    }
    Map<String, ColumnType> explicit = o.types();
    CsvColumns.Sampler[] sample = explicit.keySet().containsAll(header) ? null
        : CsvReader.sample(files.get(0), gzip(files.get(0)), format, o.sampleBytes());
    Map<String, ColumnType> types = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String c = header.get(i);
      types.put(c, explicit.containsKey(c) ? explicit.get(c) : sample[i].type());
    }
    List<CsvSplit> splits = new ArrayList<>();
    for (Path f : files) {
      splits.addAll(splits(f, o.blocksize()));
    }
    String why = " (types are inferred from the first " + o.sampleBytes() + " bytes of "
        + files.get(0).getFileName() + " unless given with CsvOptions.type)";
    return new Source.Csv(splits, format, Schema.of(types), why);
  }

  static boolean gzip(Path f) {
    return f.getFileName().toString().endsWith(".gz");
  }

  /** Cuts a file into about equal splits of at most {@code blocksize} bytes. */
  static List<CsvSplit> splits(Path f, long blocksize) {
    long size;
    try {
      size = Files.size(f);
    } catch (IOException e) {
      throw new GraphException("readCsv: cannot read the size of " + f + ": " + e);
    }
    List<CsvSplit> out = new ArrayList<>();
    if (gzip(f)) {
      out.add(new CsvSplit(f.toString(), 0, Long.MAX_VALUE, size, true));
      return out;
    }
    long n = blocksize <= 0 ? 1 : Math.max(1, (size + blocksize - 1) / blocksize);
    // a split is read into one byte array: keep each under 1 GB whatever the blocksize
    n = Math.max(n, (size + MAX_SPLIT - 1) / MAX_SPLIT);
    for (long i = 0; i < n; i++) {
      out.add(new CsvSplit(f.toString(), size * i / n, size * (i + 1) / n, size, false));
    }
    return out;
  }

  /** Resolves a file, a directory (its files) or a glob (in the last path parts), sorted. */
  static List<Path> files(String pattern) {
    int glob = indexOfGlob(pattern);
    List<Path> out = new ArrayList<>();
    if (glob < 0) {
      Path p = Path.of(pattern);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(Files::isRegularFile)
              .filter(x -> !x.getFileName().toString().startsWith("."))
              .filter(x -> !x.getFileName().toString().startsWith("_"))
              .sorted().forEach(out::add);
        } catch (IOException e) {
          throw new GraphException("readCsv: cannot list " + p + ": " + e);
        }
        if (out.isEmpty()) {
          throw new GraphException("readCsv: directory " + p + " has no files");
        }
        return out;
      }
      if (!Files.isRegularFile(p)) {
        throw new GraphException("readCsv: no such file: " + p.toAbsolutePath());
      }
      out.add(p);
      return out;
    }
    int slash = pattern.lastIndexOf('/', glob);
    Path root = slash < 0 ? Path.of(".") : Path.of(pattern.substring(0, slash + 1));
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    if (Files.isDirectory(root)) {
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(Files::isRegularFile)
            .filter(x -> m.matches(slash < 0 ? root.relativize(x) : x))
            .sorted().forEach(out::add);
      } catch (IOException e) {
        throw new GraphException("readCsv: cannot list " + root + ": " + e);
      }
    }
    if (out.isEmpty()) {
      throw new GraphException("readCsv: no file matches " + pattern + " (looked under "
          + root.toAbsolutePath() + ")");
    }
    return out;
  }

  private static int indexOfGlob(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '{') {
        return i;
      }
    }
    return -1;
  }
}
