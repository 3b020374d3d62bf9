package dev.tessera.schedulers.engine;

import dev.tessera.graph.core.ExecutionPlan;
import dev.tessera.graph.core.Key;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which computation in progress on an {@link Engine} computes each key, so that a computation
 * that starts later borrows that result instead of computing it again (Dask's scheduler keeps
 * one task per key for all its clients). The first claim of a key wins; a claim ends when its
 * computation releases that result or ends. A leaf lock: nothing else is locked while this
 * monitor is held, so any computation's lock may be held while taking it.
 */
final class KeyClaims {
  /** {@code owner}'s task {@code task} computes {@code key}. */
  record Claim(Key key, Computation owner, int task) {}

  private final Map<Key, Claim> byKey = new HashMap<>();

  /**
   * {@return the claims of other computations on the keys of {@code plan}'s tasks that
   * {@code wanted} marks, by task}
   */
  synchronized Map<Integer, Claim> find(ExecutionPlan plan, boolean[] wanted, Computation me) {
    if (byKey.isEmpty()) {
      return Map.of(); // the common case: nothing else runs
    }
    Map<Integer, Claim> out = new HashMap<>();
    for (int t = 0; t < wanted.length; t++) {
      if (wanted[t]) {
        Claim c = byKey.get(plan.key(t));
        if (c != null && c.owner() != me) {
          out.put(t, c);
        }
      }
    }
    return out;
  }

  /** Claims each of {@code claims} whose key is not claimed yet; returns those it took. */
  synchronized List<Claim> claim(List<Claim> claims) {
    claims.removeIf(c -> byKey.putIfAbsent(c.key(), c) != null);
    return claims;
  }

  synchronized void remove(Claim c) {
    byKey.remove(c.key(), c);
  }

  /** {@return how many keys are claimed now} (for tests: 0 once nothing runs) */
  synchronized int size() {
    return byKey.size();
  }
}
