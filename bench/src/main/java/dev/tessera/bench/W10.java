package dev.tessera.bench;

import java.util.Map;

/**
 * W10 array_sum_out_of_core: W2 at {@code n=60000} (28.8 GB of float64, more than this
 * machine's RAM); peak RSS is measured from outside ({@code /usr/bin/time -v bench/run W10}).
 * It runs in bounded memory because {@code Array.optimize} inlines the random generators into
 * their users once the generated data is larger than half the heap (each block is regenerated
 * by its two users instead of being held), and the engine runs branches to completion and
 * frees each result once no pending task needs it. ND4J's off-heap allocator is capped below
 * (unless set on the command line) so that freed blocks are reclaimed promptly.
 */
public final class W10 extends W2 {
  @Override
  public String name(Params p) {
    return "array_sum_out_of_core";
  }

  @Override
  public Map<String, String> defaults() {
    Map<String, String> d = super.defaults();
    d.put("n", "60000");
    return d;
  }

  @Override
  public Trial prepare(Params p) {
    // read by JavaCPP when ND4J first loads, which is after this point in a fresh JVM
    if (System.getProperty("org.bytedeco.javacpp.maxBytes") == null
        && System.getProperty("org.bytedeco.javacpp.maxbytes") == null) {
      System.setProperty("org.bytedeco.javacpp.maxBytes", "1500m");
      System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "3500m");
    }
    return super.prepare(p);
  }
}
