package dev.tessera.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.tessera.cluster.Cluster;
import dev.tessera.graph.Delayed;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Workers page on an Apache Ignite cluster of two local worker JVMs: both nodes listed
 * with their own heap (Ignite's node metrics, through the engine's
 * {@code WorkerEndpoint.report()}), CPU and resident memory, the tasks they ran, and the
 * transfer between them. The dashboard's main code knows no Ignite: only this test does.
 */
class ClusterDashboardTest {
  @Test
  void clusterWorkersJoinTheWorkersPage() throws Exception {
    Delayed<double[]> a = Delayed.call(Work::block, Delayed.value(0));
    Delayed<double[]> b = Delayed.call(Work::block, Delayed.value(1));
    Delayed<Integer> both = Delayed.call(Work::both, a, b);
    try (Dashboard d = Dashboard.builder().port(0).quiet().start();
        Cluster cluster = Cluster.local(2);
        Sse events = new Sse("http://127.0.0.1:" + d.port() + "/events")) {
      assertEquals(2001, both.compute(cluster));
      List<Long> pids = cluster.localWorkerPids();
      assertEquals(2, pids.size());
      Map<Long, JsonObject> seen = new HashMap<>();
      JsonObject s = events.until(x -> {
        seen.clear();
        for (JsonElement w : x.getAsJsonArray("workers")) {
          JsonObject o = w.getAsJsonObject();
          if (pids.contains(o.get("pid").getAsLong()) && o.get("heap").getAsLong() > 0) {
            seen.put(o.get("pid").getAsLong(), o);
          }
        }
        // (events sent while it ran may still be in the stream: wait for the end's)
        long ran = seen.values().stream().mapToLong(o -> o.get("done").getAsLong()).sum();
        return seen.size() == 2 && ran == 3
            && x.getAsJsonObject("transfers").get("count").getAsLong() >= 1;
      }, "both cluster workers with their heap, their 3 tasks and the transfer");
      long done = 0;
      for (JsonObject o : seen.values()) {
        assertFalse(o.get("local").getAsBoolean());
        String name = o.get("name").getAsString();
        assertTrue(name.matches("worker-\\d \\(.*pid " + o.get("pid") + "\\)"), name);
        assertTrue(cluster.workers().contains(name.substring(0, name.indexOf(' '))), name);
        assertTrue(o.get("heapMax").getAsLong() >= o.get("heap").getAsLong(), o.toString());
        assertTrue(o.get("rss").getAsLong() > 0, "resident memory, from this machine: " + o);
        assertTrue(o.get("offHeap").getAsLong() >= 0, o.toString());
        done += o.get("done").getAsLong();
      }
      // the two blocks and their sum
      assertEquals(3, done, "the tasks the nodes ran: " + seen);
      JsonObject t = s.getAsJsonObject("transfers");
      assertEquals(cluster.transferredBytes(), t.get("bytes").getAsLong());
      String from = t.getAsJsonArray("recent").get(0).getAsJsonArray().get(1).getAsString();
      assertTrue(from.startsWith("worker-"), "from a node: " + from);
    }
  }
}
