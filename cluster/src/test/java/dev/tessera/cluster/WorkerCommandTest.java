package dev.tessera.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The worker command: options, the batch scheduler's environment, one line when joined, a
 * clean exit on SIGTERM. */
class WorkerCommandTest {
  @Test
  void slurmHostListsExpandAsScontrolDoes() {
    assertEquals(List.of("node01", "node02", "node03", "node07", "gpu1"),
        HpcEnvironment.expandSlurm("node[01-03,07],gpu1"));
    assertEquals(List.of("a9", "a10", "b-1-x", "b-2-x"),
        HpcEnvironment.expandSlurm("a[9-10],b-[1-2]-x"));
    assertEquals(List.of("solo"), HpcEnvironment.expandSlurm("solo"));
  }

  @Test
  void defaultsComeFromSlurm() {
    Worker.Settings s = Worker.Settings.parse(List.of("--no-tls"), Map.of(
        "SLURM_JOB_NODELIST", "cn[001-100]", "SLURM_PROCID", "7", "SLURMD_NODENAME", "cn008",
        "SLURM_CPUS_PER_TASK", "16"));
    assertEquals("cn008", s.options.bind());
    assertEquals(List.of("cn001:47500..47509", "cn002:47500..47509", "cn003:47500..47509"),
        s.options.discovery());
    assertEquals(16, s.options.threads());
    assertEquals("worker-7", s.name);
    assertTrue(s.allowPlain);
  }

  @Test
  void optionsWinOverTheEnvironment(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path pw = dir.resolve("pw");
    Files.writeString(pw, "secret\n");
    Path nodes = dir.resolve("nodes");
    Files.writeString(nodes, "h1\nh1\nh2\n");
    Worker.Settings s = Worker.Settings.parse(List.of("--threads", "3", "--port=48000",
        "--port-range", "2", "--ssl-keystore", "k.p12", "--ssl-truststore", "t.p12",
        "--ssl-password-file", pw.toString()), Map.of("PBS_NODEFILE", nodes.toString(),
        "PBS_TASKNUM", "2"));
    assertEquals(List.of("h1:48000..48001", "h2:48000..48001"), s.options.discovery());
    assertEquals(3, s.options.threads());
    assertEquals("worker-1", s.name);
    assertEquals("secret", new String(s.options.password()));
    assertEquals("127.0.0.1", s.options.bind());
  }

  @Test
  void badOptionsSayWhatIsWrong() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Worker.Settings.parse(List.of("--treads", "2"), Map.of()));
    assertTrue(e.getMessage().contains("unknown option --treads"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Worker.Settings.parse(List.of("--ssl-keystore", "k.p12"), Map.of()));
    assertTrue(e.getMessage().contains("--ssl-truststore"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> IgniteSetup.checkExposure(
        ClusterOptions.builder().bind("192.0.2.1").build(), false));
    assertTrue(e.getMessage().contains("mutual TLS"), e.getMessage());
  }

  @Test
  void joinsWithOneLineAndExitsCleanlyOnSigterm() throws Exception {
    int[] ports = LocalWorkers.freePorts(2);
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Worker.class.getName(),
        "--discovery", "127.0.0.1:" + ports[0], "--port", "" + ports[0], "--port-range", "0",
        "--comm-port", "" + ports[1], "--threads", "1", "--name", "w-test"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        if (line.contains(" joined: ")) {
          p.toHandle().destroy(); // SIGTERM (Process.destroy would close our end too)
        }
      }
    } finally {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    assertEquals(0, p.exitValue(), String.join("\n", lines));
    assertTrue(lines.get(0).startsWith("tessera worker w-test joined: node "), lines.get(0));
    assertTrue(lines.get(lines.size() - 1).equals("tessera worker w-test stopped"),
        String.join("\n", lines));
    assertFalse(String.join("\n", lines).contains("WARN"), String.join("\n", lines));
  }
}
