package dev.tessera.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness's output contract (not timings: those belong to bench/run). */
class BenchTest {
  private static JsonObject runSmall(String id, Map<String, String> params) throws Exception {
    Workload w = Bench.find(id);
    Map<String, String> merged = new LinkedHashMap<>(w.defaults());
    merged.putAll(params);
    return JsonParser.parseString(Bench.run(w, new Params(merged), 3)).getAsJsonObject();
  }

  @Test
  void w1PrintsTheContractFields() throws Exception {
    JsonObject o = runSmall("W1", Map.of("n", "2000"));
    assertEquals("task_overhead_threads", o.get("workload").getAsString());
    assertEquals("2000", o.getAsJsonObject("params").get("n").getAsString());
    assertEquals(3, o.getAsJsonArray("seconds_all").size());
    assertTrue(o.getAsJsonObject("result_check").get("ok").getAsBoolean());
    assertTrue(o.has("us_per_task") && o.has("build_seconds_median"));
    assertTrue(o.has("floor_executor_roundtrip_us"));
    // every line says which machine it came from, and how much CPU this JVM used
    assertTrue(!o.get("cpu_model").getAsString().isEmpty());
    assertTrue(o.has("cpu_simd"));
    assertTrue(o.get("process_cpu_seconds_median").getAsDouble() >= 0);
  }

  @Test
  void blocksChecksItsKernelsAndNamesTheNd4jBuild() throws Exception {
    JsonObject o = runSmall("Blocks", Map.of("n", "300", "reps", "2"));
    assertEquals("block_primitives", o.get("workload").getAsString());
    assertTrue(o.getAsJsonObject("result_check").get("ok").getAsBoolean());
    JsonObject prims = o.getAsJsonObject("primitives_GB_per_s_of_one_block_by_cpu_time");
    assertTrue(prims.has("sum(x + y.T) fused Tessera kernel"), prims.toString());
    assertEquals(3, prims.getAsJsonArray("sum Tessera kernel").size());   // one per timed run
    assertTrue(o.get("nd4j_build").getAsString().startsWith("level "));
  }

  @Test
  void theReadOnlyFloorIsARate() {
    double r = Machine.readSumGBps();
    assertTrue(r > 0 && Double.isFinite(r), "read floor " + r);
  }

  @Test
  void w1SyncAndW1bCheckTheirAnswers() throws Exception {
    assertEquals("task_overhead_sync",
        runSmall("W1", Map.of("n", "500", "scheduler", "sync")).get("workload").getAsString());
    JsonObject chain = runSmall("W1b", Map.of("n", "3000"));
    assertEquals("task_chain", chain.get("workload").getAsString());
    assertTrue(chain.getAsJsonObject("result_check").get("ok").getAsBoolean());
  }

  @Test
  void w25SortsGeneratedRowsThatSpillInOneRunWithoutAWarmUp() throws Exception {
    JsonObject o = runSmall("W25", Map.of("rows", "200001", "partition_rows", "30000",
        "budget", "0"));
    assertEquals("dataframe_set_index_out_of_core", o.get("workload").getAsString());
    assertEquals(3, o.getAsJsonArray("seconds_all").size());
    JsonObject check = o.getAsJsonObject("result_check");
    assertTrue(check.get("ok").getAsBoolean(), check.toString());
    assertEquals(200001, check.get("rows").getAsLong());
    assertEquals(7, check.get("partitions").getAsInt());
    assertTrue(!o.get("warm_up").getAsBoolean());
    assertEquals(3, o.get("runs").getAsInt());
    // budget=0 spills every piece: the 16 bytes of each row, every run
    assertTrue(o.get("spilled_MB").getAsDouble() >= 3.2, o.toString());
    assertTrue(o.get("peak_rss_MB").getAsDouble() > 0 && o.has("shuffle_budget_MB"));
  }

  @Test
  void unknownWorkloadIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Bench.find("W99"));
    assertTrue(e.getMessage().contains("W99"), e.getMessage());
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(2.0, Bench.median(List.of(3.0, 1.0, 2.0)));
    assertEquals(2.5, Bench.median(List.of(4.0, 1.0, 2.0, 3.0)));
  }
}
