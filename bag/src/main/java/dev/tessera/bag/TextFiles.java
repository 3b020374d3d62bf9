package dev.tessera.bag;

import dev.tessera.graph.GraphException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Reading text files as bags of lines, and writing partitions as text files. */
final class TextFiles {
  private TextFiles() {}

  /**
   * Expands files, directories (their regular files, not recursing) and globs into a sorted
   * list of files; at graph-build time, so a missing file fails early.
   */
  static List<Path> expand(List<String> patterns) {
    List<Path> out = new ArrayList<>();
    for (String p : patterns) {
      int glob = firstGlobChar(p);
      if (glob < 0) {
        Path path = Paths.get(p);
        if (Files.isDirectory(path)) {
          try (Stream<Path> s = Files.list(path)) {
            s.filter(Files::isRegularFile).sorted().forEach(out::add);
          } catch (IOException e) {
            throw new GraphException("readText: cannot list directory " + path + ": " + e);
          }
        } else if (Files.isRegularFile(path)) {
          out.add(path);
        } else {
          throw new GraphException("readText: no such file or directory: " + path.toAbsolutePath());
        }
        continue;
      }
      // the fixed directory part of the pattern is where the walk starts
      int slash = p.lastIndexOf('/', glob);
      Path root = Paths.get(slash < 0 ? "." : p.substring(0, Math.max(slash, 1)));
      String rel = slash < 0 ? p : p.substring(slash + 1);
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + rel);
      List<Path> found = new ArrayList<>();
      if (Files.isDirectory(root)) {
        // a glob without ** matches at one depth only: do not walk deeper than that
        int depth = rel.contains("**") ? Integer.MAX_VALUE
            : (int) rel.chars().filter(c -> c == '/').count() + 1;
        try (Stream<Path> s = Files.walk(root, depth)) {
          s.filter(Files::isRegularFile).filter(f -> m.matches(root.relativize(f)))
              .sorted().forEach(found::add);
        } catch (IOException e) {
          throw new GraphException("readText: cannot list " + root + ": " + e);
        }
      }
      if (found.isEmpty()) {
        throw new GraphException("readText: no file matches " + p);
      }
      out.addAll(found);
    }
    if (out.isEmpty()) {
      throw new GraphException("readText: no files in " + patterns);
    }
    return out;
  }

  private static int firstGlobChar(String p) {
    for (int i = 0; i < p.length(); i++) {
      if ("*?[{".indexOf(p.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Checks that lines can be found by looking for byte 10: true of ASCII-compatible encodings
   * (UTF-8, ISO-8859-*, windows-125*), not of UTF-16 or UTF-32.
   */
  static void checkAsciiCompatible(Charset cs) {
    byte[] probe = "a\n\r ~".getBytes(cs);
    if (!Arrays.equals(probe, new byte[] {'a', '\n', '\r', ' ', '~'})) {
      throw new GraphException("readText: encoding " + cs + " is not ASCII-compatible (lines are"
          + " split on byte '\\n'); convert the files to UTF-8 first");
    }
  }

  /** Returns the blocks of the given files: one per file when gzipped or blocksize is 0 or less. */
  static List<TextBlock> blocks(List<Path> files, long blocksize, Charset cs) {
    List<TextBlock> out = new ArrayList<>();
    for (Path f : files) {
      long size;
      try {
        size = Files.size(f);
      } catch (IOException e) {
        throw new GraphException("readText: cannot read " + f + ": " + e);
      }
      boolean gz = f.getFileName().toString().endsWith(".gz");
      String path = f.toAbsolutePath().toString();
      if (gz || blocksize <= 0 || size <= blocksize) {
        out.add(new TextBlock(path, 0, gz ? Long.MAX_VALUE : size, cs.name(), gz));
        continue;
      }
      for (long start = 0; start < size; start += blocksize) {
        out.add(new TextBlock(path, start, Math.min(size, start + blocksize), cs.name(), false));
      }
    }
    return out;
  }

  /**
   * The lines that start in the bytes [start, end) of a file, without their line terminators
   * ({@code \n} or {@code \r\n}). A line that starts in the block is read to its end even past
   * {@code end}; a line that started before {@code start} belongs to the previous block.
   */
  record TextBlock(String path, long start, long end, String charset, boolean gzip)
      implements Pipeline.Source {
    private static final long serialVersionUID = 1L;
    private static final int BUFFER = 1 << 20;

    @Override
    public void emit(Object input, Pipeline.Sink out) throws Exception {
      Path p = Paths.get(path);
      if (!Files.exists(p)) {
        throw new java.nio.file.NoSuchFileException(path, null, "readText: the file is gone");
      }
      Decoder dec = new Decoder(Charset.forName(charset), path, gzip);
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        long pos = Math.max(0, start - 1);
        ch.position(pos);
        InputStream in = Channels.newInputStream(ch);
        if (gzip) {
          in = new GZIPInputStream(in, 1 << 16);
        }
        scan(in, pos, out, dec);
      }
    }

    /** Scans lines from {@code in}, whose first byte is at file offset {@code pos}. */
    private void scan(InputStream in, long pos, Pipeline.Sink out, Decoder dec) throws Exception {
      // small blocks get small buffers: a block needs its bytes plus the rest of its last line
      byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(8192, end - start + 1))];
      byte[] line = new byte[256];
      int lineLen = 0;
      // the OR of the current line's bytes: negative when one is not ASCII (found in the same
      // pass as the newlines, so ASCII lines need no second look)
      int bits = 0;
      long lineStart = pos;
      // skipping: the bytes before the first line that starts at or after `start`
      boolean skipping = start > 0;
      long offset = pos;
      int n;
      while ((n = in.read(buf)) > 0) {
        int from = 0;
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b != '\n') {
            bits |= b;
            continue;
          }
          long nl = offset + i;
          if (skipping) {
            skipping = false;
          } else {
            if (lineStart >= end) {
              return;
            }
            if (lineLen == 0) {
              dec.emit(buf, from, i - from, bits >= 0, lineStart, out);
            } else {
              line = append(line, lineLen, buf, from, i - from);
              dec.emit(line, 0, lineLen + i - from, bits >= 0, lineStart, out);
              lineLen = 0;
            }
          }
          from = i + 1;
          lineStart = nl + 1;
          bits = 0;
        }
        if (from < n && !skipping) {
          line = append(line, lineLen, buf, from, n - from);
          lineLen += n - from;
        }
        offset += n;
        if (skipping) {
          lineStart = offset;
        }
      }
      // the last line of a file without a trailing newline
      if (!skipping && lineLen > 0 && lineStart < end) {
        dec.emit(line, 0, lineLen, bits >= 0, lineStart, out);
      }
    }

    private static byte[] append(byte[] line, int len, byte[] src, int from, int count) {
      if (len + count > line.length) {
        line = Arrays.copyOf(line, Math.max(len + count, line.length * 2));
      }
      System.arraycopy(src, from, line, len, count);
      return line;
    }
  }

  /** Decodes lines, strictly: bytes that are not valid in the encoding are an error. */
  private static final class Decoder {
    private final Charset cs;
    private final CharsetDecoder decoder;
    private final String path;
    private final boolean gzip;

    Decoder(Charset cs, String path, boolean gzip) {
      this.cs = cs;
      this.path = path;
      this.gzip = gzip;
      this.decoder = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    void emit(byte[] b, int off, int len, boolean ascii, long fileOffset, Pipeline.Sink out)
        throws Exception {
      if (len > 0 && b[off + len - 1] == '\r') {
        len--;
      }
      if (ascii) {
        // ASCII means the same in every encoding checkAsciiCompatible lets through, and
        // Latin-1 decoding of it is a plain copy into a compact string
        out.accept(new String(b, off, len, StandardCharsets.ISO_8859_1));
        return;
      }
      out.accept(decode(b, off, len, fileOffset));
    }

    private String decode(byte[] b, int off, int len, long fileOffset)
        throws CharacterCodingException {
      ByteBuffer in = ByteBuffer.wrap(b, off, len);
      CharBuffer chars = CharBuffer.allocate((int) (len * (double) decoder.maxCharsPerByte()) + 1);
      decoder.reset();
      CoderResult r = decoder.decode(in, chars, true);
      if (!r.isError()) {
        r = decoder.flush(chars);
      }
      if (r.isError()) {
        long at = fileOffset + (in.position() - off);
        throw new UndecodableTextException(path + ": bytes not valid " + cs.name() + " at "
            + (gzip ? "decompressed " : "") + "byte offset " + at + " (" + hex(b, in.position(),
            Math.min(r.length(), off + len - in.position())) + "); pass the file's encoding to"
            + " readText");
      }
      chars.flip();
      return chars.toString();
    }

    private static String hex(byte[] b, int from, int count) {
      StringBuilder sb = new StringBuilder();
      for (int i = from; i < from + Math.max(count, 1) && i < b.length; i++) {
        sb.append(sb.length() == 0 ? "" : " ").append(String.format("0x%02x", b[i] & 0xff));
      }
      return sb.toString();
    }
  }

  /** A text file's bytes are not valid in the chosen encoding. */
  static final class UndecodableTextException extends CharacterCodingException {
    private static final long serialVersionUID = 1L;
    private final String message;

    UndecodableTextException(String message) {
      this.message = message;
    }

    @Override
    public String getMessage() {
      return message;
    }
  }

  /** Writes one partition's elements, one line each ({@code toString()}), gzipped for .gz. */
  static String write(String path, Charset cs, Pipeline.Source source, Object input,
      List<Pipeline.Step> steps, String bag, int partition) throws Exception {
    Path p = Paths.get(path);
    if (p.getParent() != null) {
      Files.createDirectories(p.getParent());
    }
    try (OutputStream raw = Files.newOutputStream(p);
        OutputStream os = path.endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw;
        Writer w = new BufferedWriter(new OutputStreamWriter(os, cs.newEncoder()), 1 << 16)) {
      Pipeline.run(source, input, steps, x -> {
        w.write(String.valueOf(x));
        w.write('\n');
      }, bag, partition);
    }
    return path;
  }
}
