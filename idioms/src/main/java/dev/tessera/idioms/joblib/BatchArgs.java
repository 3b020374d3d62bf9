package dev.tessera.idioms.joblib;

import dev.tessera.graph.core.Tokenizable;
import java.io.Serializable;
import java.util.List;

/**
 * The arguments of one batch, as one argument value: the futures client would take a list
 * apart (each element a value of its own, hashed for its key), while a batch is always sent
 * whole under a fresh key, so it identifies itself by a fresh token.
 */
final class BatchArgs implements Tokenizable, Serializable {
  private static final long serialVersionUID = 1L;
  final List<List<Object>> args;
  private final String token;

  BatchArgs(List<List<Object>> args, String token) {
    this.args = args;
    this.token = token;
  }

  @Override
  public Object token() {
    return token;
  }
}
