package dev.tessera.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of README.md compiles as shown against every module, and every block not
 * fenced {@code ```java compile-only} runs (each in a fresh JVM whose working directory is
 * under {@code target/}). A failure names the README line. The rules are in
 * {@link ReadmeSnippets}.
 */
class ReadmeSnippetsTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path WORK = Path.of("target", "readme-snippets");
  /** What no README program may print: missing logging backends, JVM warnings, colours. */
  private static final List<String> NOISE = List.of("SLF4J:", "might have disabled stack guard",
      "VM warning", "\u001b[");

  /** The test class path: surefire's, not its booter jar's. */
  private static String classPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  private static List<ReadmeSnippets.Unit> units() throws IOException {
    List<ReadmeSnippets.Unit> units = new ArrayList<>();
    for (ReadmeSnippets.Block b : ReadmeSnippets.parse(Files.readAllLines(README))) {
      units.add(ReadmeSnippets.unit(b));
    }
    return units;
  }

  @Test
  void everyJavaBlockCompilesAsShown() throws IOException {
    List<ReadmeSnippets.Unit> units = units();
    assertTrue(units.size() >= 10, "found only " + units.size() + " Java blocks in README.md");
    List<String> errors = ReadmeSnippets.compile(units, classPath(), WORK.resolve("classes"));
    if (!errors.isEmpty()) {
      fail(errors.size() + " compile errors in README.md's Java blocks (see the rules in"
          + " README.md, 'Snippets'):\n  " + String.join("\n  ", errors));
    }
  }

  @Test
  void everyRunnableBlockRuns() throws Exception {
    List<ReadmeSnippets.Unit> units = units();
    Path classes = WORK.resolve("run-classes");
    List<String> errors = ReadmeSnippets.compile(units, classPath(), classes);
    assertEquals(List.of(), errors, "README.md's Java blocks must compile first");
    // a block that others continue runs as part of them: run only the last of each chain
    Set<ReadmeSnippets.Block> continued = new HashSet<>();
    units.forEach(u -> continued.add(u.block().parent()));
    List<String> failures = new ArrayList<>();
    int ran = 0;
    for (ReadmeSnippets.Unit u : units) {
      if (!u.block().run() || continued.contains(u.block())) {
        continue;
      }
      ran++;
      String failure = run(u, classes);
      if (failure != null) {
        failures.add(failure);
      }
    }
    assertTrue(ran >= 5, "ran only " + ran + " README blocks");
    if (!failures.isEmpty()) {
      fail(String.join("\n\n", failures));
    }
  }

  /** Runs one block in a fresh JVM; returns null or why it failed. */
  private static String run(ReadmeSnippets.Unit u, Path classes) throws Exception {
    Path dir = WORK.resolve("run").resolve(u.pkg()).toAbsolutePath();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("tmp");
    Files.createDirectories(tmp);
    Path log = dir.resolve("output.txt");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-Djava.io.tmpdir=" + tmp,
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    String javacpp = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (javacpp != null) {
      cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + Path.of(javacpp).toAbsolutePath());
    }
    cmd.addAll(List.of("-cp", classes.toAbsolutePath() + File.pathSeparator + classPath(),
        u.mainClass()));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    String where = "README.md line " + u.block().firstLine() + " (the block run as "
        + u.mainClass() + " in " + dir + ")";
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      return where + ": still running after 5 minutes";
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      String tail = out.length() > 4000 ? "…" + out.substring(out.length() - 4000) : out;
      return where + ": exited with " + p.exitValue() + "\n" + u.mapTrace(tail);
    }
    for (String noise : NOISE) {
      if (out.contains(noise)) {
        return where + ": printed '" + noise.replace("\u001b", "ESC") + "' (a warning a user"
            + " should not see; fix it at its root):\n" + out;
      }
    }
    return null;
  }

  @Test
  void aBrokenBlockIsReportedAtItsReadmeLine() {
    List<String> md = List.of(
        "# Title",                                        // 1
        "```java",                                        // 2
        "import java.util.List;",                         // 3
        "static int twice(int x) { return 2 * x; }",     // 4
        "List<Integer> xs = List.of(twice(1));",          // 5
        "```",                                            // 6
        "text",                                           // 7
        "```java compile-only",                           // 8
        ReadmeSnippets.CONTINUES,                         // 9
        "int n = xs.size() + f;",                         // 10
        "Path p = Path.of(\"x\");",                       // 11
        "```");
    List<ReadmeSnippets.Block> blocks = ReadmeSnippets.parse(md);
    assertEquals(2, blocks.size());
    assertTrue(blocks.get(0).run());
    assertTrue(!blocks.get(1).run());
    assertEquals(blocks.get(0), blocks.get(1).parent());
    List<ReadmeSnippets.Unit> units = List.of(ReadmeSnippets.unit(blocks.get(0)),
        ReadmeSnippets.unit(blocks.get(1)));
    List<String> errors = ReadmeSnippets.compile(units, classPath(),
        WORK.resolve("broken-classes"));
    assertEquals(3, errors.size(), errors.toString()); // f; Path as a type and as a name
    assertTrue(errors.get(0).startsWith("README.md line 10: cannot find symbol"), errors.get(0));
    assertTrue(errors.get(1).startsWith("README.md line 11: cannot find symbol"), errors.get(1));
    assertEquals("at Demo.main(README.md:5)",
        units.get(0).mapTrace("at Demo.main(Demo.java:" + lineOf(units.get(0), 5) + ")"));
  }

  private static int lineOf(ReadmeSnippets.Unit u, int readmeLine) {
    for (int i = 0; i < u.readmeLine().length; i++) {
      if (u.readmeLine()[i] == readmeLine) {
        return i + 1;
      }
    }
    throw new AssertionError("no line " + readmeLine);
  }
}
