package dev.tessera.idioms.joblib;

import dev.tessera.graph.Fn1;
import dev.tessera.graph.FnN;
import dev.tessera.graph.core.Tokenizable;
import java.util.ArrayList;
import java.util.List;

/**
 * The task of one batch of delayed calls: runs them in order and returns their results,
 * stopping at the first that fails. The functions travel with the task (Java serialization),
 * the arguments as its argument value (the codecs).
 */
final class BatchTask implements Fn1<BatchArgs, List<Object>>, Tokenizable {
  private static final long serialVersionUID = 1L;
  private final List<FnN<?>> fns;
  private final List<String> names;
  private final int start;
  private final String token;

  BatchTask(List<FnN<?>> fns, List<String> names, int start, String token) {
    this.fns = fns;
    this.names = names;
    this.start = start;
    this.token = token;
  }

  /** Every batch runs under a fresh key: identify it cheaply, not by serializing it. */
  @Override
  public Object token() {
    return token;
  }

  @Override
  public List<Object> apply(BatchArgs batch) throws Exception {
    List<List<Object>> args = batch.args;
    List<Object> out = new ArrayList<>(fns.size());
    for (int i = 0; i < fns.size(); i++) {
      try {
        out.add(fns.get(i).apply(args.get(i).toArray()));
      } catch (Exception | AssertionError e) {
        throw new CallFailure(start + i, names.get(i), e);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "batch of " + fns.size() + " calls at call " + start;
  }
}
