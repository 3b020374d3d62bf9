package dev.tessera.examples;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The Java blocks of a Markdown file as compilable programs, following the README's rule: a
 * block is either a whole compilation unit (it declares a top-level type) or a body made of
 * imports, then {@code static} helper methods, then statements, which run as the body of
 * {@code main} in a class {@code Demo}. A block whose first line is
 * {@value #CONTINUES} adds to the block above it (its imports, helpers and statements come
 * after that block's). A block fenced as {@code ```java compile-only} is compiled but not run.
 */
final class ReadmeSnippets {
  private ReadmeSnippets() {}

  static final String CONTINUES = "// continues the block above";
  private static final Pattern OPEN = Pattern.compile("^```java(?:\\s+(.*))?\\s*$");
  private static final Pattern TYPE = Pattern.compile(
      "^(?:public\\s+|final\\s+|abstract\\s+|sealed\\s+)*(class|record|interface|enum)\\s+(\\w+).*");

  /** One fenced Java block: the line of its first code line (1-based) and its lines. */
  record Block(int firstLine, List<String> lines, boolean run, Block parent) {
    boolean isUnit() {
      int depth = 0;
      for (String l : lines) {
        if (depth == 0 && TYPE.matcher(l.trim()).matches()) {
          return true;
        }
        depth += braceDelta(l);
      }
      return false;
    }
  }

  /**
   * One generated source file: its package ({@code readme.l<line>}), its text and, for each of
   * its lines, the README line it came from (0 for generated lines).
   */
  record Unit(Block block, String pkg, String className, String text, int[] readmeLine) {
    String mainClass() {
      return pkg + "." + className;
    }

    /** Replaces {@code Demo.java:N} in a stack trace by the README line it stands for. */
    String mapTrace(String trace) {
      Matcher m = Pattern.compile(Pattern.quote(className + ".java:") + "(\\d+)").matcher(trace);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        int n = Integer.parseInt(m.group(1));
        int r = n - 1 < readmeLine.length ? readmeLine[n - 1] : 0;
        m.appendReplacement(sb, Matcher.quoteReplacement(
            r > 0 ? "README.md:" + r : m.group()));
      }
      m.appendTail(sb);
      return sb.toString();
    }
  }

  /** The Java blocks of {@code markdown}, in order. */
  static List<Block> parse(List<String> markdown) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < markdown.size(); i++) {
      Matcher m = OPEN.matcher(markdown.get(i));
      if (!m.matches()) {
        continue;
      }
      String info = m.group(1) == null ? "" : m.group(1).toLowerCase(Locale.ROOT);
      int first = i + 2;
      List<String> lines = new ArrayList<>();
      for (i++; i < markdown.size() && !markdown.get(i).trim().equals("```"); i++) {
        lines.add(markdown.get(i));
      }
      if (i == markdown.size()) {
        throw new IllegalArgumentException("README.md line " + (first - 1)
            + ": the ```java block is never closed");
      }
      boolean continues = lines.stream().filter(l -> !l.isBlank()).findFirst()
          .map(l -> l.trim().startsWith(CONTINUES)).orElse(false);
      Block parent = null;
      if (continues) {
        if (blocks.isEmpty()) {
          throw new IllegalArgumentException("README.md line " + first + ": the first Java"
              + " block says it continues the block above, but there is none");
        }
        parent = blocks.get(blocks.size() - 1);
      }
      blocks.add(new Block(first, lines, !info.contains("compile-only"), parent));
    }
    return blocks;
  }

  /** The source file that compiles {@code b} (with the blocks it continues). */
  static Unit unit(Block b) {
    String pkg = "readme.l" + b.firstLine();
    if (b.isUnit() && b.parent() == null) {
      List<String> out = new ArrayList<>();
      List<Integer> from = new ArrayList<>();
      out.add("package " + pkg + ";");
      from.add(0);
      String name = "Demo";
      for (int i = 0; i < b.lines().size(); i++) {
        String l = b.lines().get(i);
        Matcher m = TYPE.matcher(l.trim());
        if (m.matches() && l.trim().startsWith("public")) {
          name = m.group(2);
        }
        out.add(l);
        from.add(b.firstLine() + i);
      }
      return new Unit(b, pkg, name, String.join("\n", out) + "\n",
          from.stream().mapToInt(Integer::intValue).toArray());
    }
    List<Block> chain = new ArrayList<>();
    for (Block x = b; x != null; x = x.parent()) {
      chain.add(0, x);
    }
    Map<String, Integer> imports = new java.util.LinkedHashMap<>();
    List<String[]> members = new ArrayList<>(); // {line, readme line}
    List<String[]> statements = new ArrayList<>();
    for (Block x : chain) {
      int depth = 0;
      boolean inMember = false;
      for (int i = 0; i < x.lines().size(); i++) {
        String l = x.lines().get(i);
        String t = l.trim();
        int line = x.firstLine() + i;
        if (depth == 0 && !inMember && t.startsWith("import ")) {
          imports.putIfAbsent(t, line);
          continue;
        }
        if (depth == 0 && !inMember && (t.startsWith("static ") || t.startsWith("@")
            || TYPE.matcher(t).matches())) {
          inMember = true;
        }
        (inMember ? members : statements).add(new String[] {l, Integer.toString(line)});
        depth += braceDelta(l);
        if (inMember && depth == 0 && (t.endsWith("}") || t.endsWith(";"))) {
          inMember = false;
        }
      }
    }
    List<String> out = new ArrayList<>();
    List<Integer> from = new ArrayList<>();
    out.add("package " + pkg + ";");
    from.add(0);
    imports.forEach((l, line) -> {
      out.add(l);
      from.add(line);
    });
    out.add("public class Demo {");
    from.add(0);
    for (String[] m : members) {
      out.add("  " + m[0]);
      from.add(Integer.parseInt(m[1]));
    }
    out.add("  public static void main(String[] args) throws Exception {");
    from.add(0);
    for (String[] s : statements) {
      out.add("    " + s[0]);
      from.add(Integer.parseInt(s[1]));
    }
    out.add("  }");
    from.add(0);
    out.add("}");
    from.add(0);
    return new Unit(b, pkg, "Demo", String.join("\n", out) + "\n",
        from.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Compiles {@code units} against {@code classPath} into {@code classes}; returns one message
   * per error, each naming the README line it is on.
   */
  static List<String> compile(List<Unit> units, String classPath, Path classes) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
    Map<URI, Unit> byUri = new TreeMap<>();
    List<JavaFileObject> sources = new ArrayList<>();
    for (Unit u : units) {
      URI uri = URI.create("string:///" + u.pkg().replace('.', '/') + "/" + u.className()
          + ".java");
      byUri.put(uri, u);
      sources.add(new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return u.text();
        }
      });
    }
    try {
      Files.createDirectories(classes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringWriter javacOut = new StringWriter();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      List<String> options = List.of("-proc:none", "-Xlint:-options", "-classpath", classPath,
          "-d", classes.toString());
      javac.getTask(javacOut, fm, diags, options, null, sources).call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> errors = new LinkedHashSet<>();
    for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      Unit u = d.getSource() == null ? null : byUri.get(d.getSource().toUri());
      long n = d.getLineNumber();
      int readme = u == null || n < 1 || n > u.readmeLine().length ? 0 : u.readmeLine()[(int) n - 1];
      String where = readme > 0 ? "README.md line " + readme
          : "README.md, the block at line " + (u == null ? "?" : u.block().firstLine());
      String code = readme > 0 && u != null ? u.text().split("\n", -1)[(int) n - 1].trim() : "";
      errors.add(where + ": " + d.getMessage(Locale.ROOT)
          + (code.isEmpty() ? "" : "\n      " + code));
    }
    return new ArrayList<>(errors);
  }

  /** The change of brace depth over one line, ignoring braces in strings, chars and comments. */
  static int braceDelta(String line) {
    int d = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
        break;
      } else if (c == '"' || c == '\'') {
        for (i++; i < line.length() && line.charAt(i) != c; i++) {
          if (line.charAt(i) == '\\') {
            i++;
          }
        }
      } else if (c == '{') {
        d++;
      } else if (c == '}') {
        d--;
      }
    }
    return d;
  }
}
