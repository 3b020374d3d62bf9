package dev.tessera.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What a batch scheduler's environment tells a worker, so that {@code srun tessera-worker}
 * needs no options: SLURM's node list, task rank, node name and CPUs per task, or PBS's node
 * file, task number and CPU count. Each value is only a default: a command-line option wins.
 *
 * @param hosts the allocated hosts, in order (the first few are the discovery addresses)
 * @param self this task's host, or null if unknown
 * @param rank this task's rank, or -1
 * @param cpus CPUs given to this task, or -1
 * @param source {@code "SLURM"}, {@code "PBS"} or {@code "none"}
 */
record HpcEnvironment(List<String> hosts, String self, int rank, int cpus, String source) {
  /** How many of the first hosts are discovery addresses: enough to survive one's loss. */
  static final int DISCOVERY_HOSTS = 3;

  /** {@return what the environment says} */
  static HpcEnvironment of(Map<String, String> env) {
    if (env.containsKey("SLURM_JOB_NODELIST") || env.containsKey("SLURM_NODELIST")) {
      String list = env.getOrDefault("SLURM_JOB_NODELIST", env.get("SLURM_NODELIST"));
      return new HpcEnvironment(expandSlurm(list), env.get("SLURMD_NODENAME"),
          intOr(env.get("SLURM_PROCID"), -1), intOr(env.get("SLURM_CPUS_PER_TASK"), -1),
          "SLURM");
    }
    if (env.containsKey("PBS_NODEFILE")) {
      List<String> hosts = new ArrayList<>();
      try {
        for (String line : Files.readAllLines(Path.of(env.get("PBS_NODEFILE")))) {
          if (!line.isBlank()) {
            hosts.add(line.trim());
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("PBS_NODEFILE=" + env.get("PBS_NODEFILE")
            + " cannot be read: " + e.getMessage(), e);
      }
      int rank = intOr(env.get("PBS_TASKNUM"), -1);
      if (rank > 0) {
        rank--; // PBS counts tasks from 1
      }
      return new HpcEnvironment(List.copyOf(new LinkedHashSet<>(hosts)), null, rank,
          intOr(env.getOrDefault("NCPUS", env.get("PBS_NUM_PPN")), -1), "PBS");
    }
    return new HpcEnvironment(List.of(), null, -1, -1, "none");
  }

  /** {@return the discovery addresses: the first hosts, each with the port range} */
  List<String> discovery(int port, int range) {
    List<String> out = new ArrayList<>();
    for (String h : hosts.subList(0, Math.min(DISCOVERY_HOSTS, hosts.size()))) {
      out.add(h + ":" + port + (range > 0 ? ".." + (port + range - 1) : ""));
    }
    return out;
  }

  /**
   * Expands SLURM's compressed host list: {@code node[01-03,7],gpu1} is node01, node02,
   * node03, node7 and gpu1 (what {@code scontrol show hostnames} prints).
   */
  static List<String> expandSlurm(String list) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= list.length(); i++) {
      char c = i < list.length() ? list.charAt(i) : ',';
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        String item = list.substring(start, i).trim();
        if (!item.isEmpty()) {
          expandItem(item, out);
        }
        start = i + 1;
      }
    }
    return out;
  }

  private static void expandItem(String item, List<String> out) {
    int open = item.indexOf('[');
    if (open < 0) {
      out.add(item);
      return;
    }
    int close = item.indexOf(']', open);
    if (close < 0) {
      throw new IllegalArgumentException("SLURM host list entry " + item + " has no ']'");
    }
    String prefix = item.substring(0, open);
    String suffix = item.substring(close + 1);
    for (String range : item.substring(open + 1, close).split(",")) {
      String[] ab = range.split("-", 2);
      if (ab.length == 1) {
        expandItem(prefix + ab[0] + suffix, out);
        continue;
      }
      int width = ab[0].length();
      long from = Long.parseLong(ab[0]);
      long to = Long.parseLong(ab[1]);
      for (long k = from; k <= to; k++) {
        String num = Long.toString(k);
        while (num.length() < width) {
          num = "0" + num;
        }
        expandItem(prefix + num + suffix, out);
      }
    }
  }

  private static int intOr(String s, int fallback) {
    if (s == null || s.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(s.trim().replaceAll("\\(.*\\)$", ""));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
