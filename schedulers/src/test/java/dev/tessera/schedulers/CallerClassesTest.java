package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lambdas from programs whose classes exist only in the caller's memory run on worker JVMs:
 * the workers ask the caller for the bytes (peer class loading). Both tools ship with the JDK.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CallerClassesTest {
  private static final Path OUT = Path.of("target", "caller-classes-test").toAbsolutePath();

  private static String classPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  private static Path resource(String name) throws Exception {
    return Path.of(CallerClassesTest.class.getResource("/peer/" + name).toURI());
  }

  /** Runs {@code cmd} in target/; returns its output, failing on a non-zero exit. */
  private static String run(List<String> cmd, String what) throws Exception {
    Files.createDirectories(OUT.resolve("tmp"));
    Path log = OUT.resolve(what + ".txt");
    Process p = new ProcessBuilder(cmd).directory(OUT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      throw new AssertionError(what + " did not finish in 240 s: " + Files.readString(log));
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), what + " failed:\n" + out);
    return out;
  }

  private static String java(String tool) {
    return Path.of(System.getProperty("java.home"), "bin", tool).toString();
  }

  @Test
  void aSingleFileProgramRunsItsLambdasOnWorkerProcesses() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java("java"), "-Xmx256m",
        "-Djava.io.tmpdir=" + OUT.resolve("tmp"), "-cp", classPath(),
        resource("Demo.java").toString()));
    String out = run(cmd, "single-file");
    // sum over i of |i + 1| + |-i| = 1 + 3 + 5 + 7 + 9 + 11
    assertTrue(out.contains("total=36 point=6"), out);
    assertFalse(out.contains("Exception"), out);
  }

  @Test
  void jshellRunsItsLambdasOnWorkerProcesses() throws Exception {
    Path prefs = OUT.resolve("prefs");
    List<String> cmd = new ArrayList<>(List.of(java("jshell"), "-q",
        "--class-path", classPath(),
        "-J-Djava.util.prefs.userRoot=" + prefs, "-J-Duser.home=" + OUT,
        "-R-Djava.util.prefs.userRoot=" + prefs, "-R-Duser.home=" + OUT,
        "-R-Djava.io.tmpdir=" + OUT.resolve("tmp"), "-R-Xmx256m",
        resource("demo.jsh").toString()));
    String out = run(cmd, "jshell");
    assertTrue(out.contains("jshell-total=100"), out);
    assertFalse(out.contains("Exception"), out);
  }

  @Test
  void classesOnTheClassPathAreNeverNoted() {
    CallerClasses.note(String.class);
    CallerClasses.note(CallerClassesTest.class);
    CallerClasses.note(ClassLoader.getSystemClassLoader());
    assertFalse(CallerClasses.noted().contains(ClassLoader.getSystemClassLoader()));
    assertEquals(null, CallerClasses.find("no.such.Clazz"));
    assertTrue(File.pathSeparator.length() == 1);
  }
}
