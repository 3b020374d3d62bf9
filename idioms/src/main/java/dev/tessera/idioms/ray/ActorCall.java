package dev.tessera.idioms.ray;

import dev.tessera.graph.FnN;
import dev.tessera.graph.spi.EngineContext;
import dev.tessera.graph.spi.EngineFunction;

/**
 * What runs on an actor's engine: its creation (the state goes into the engine's namespace
 * under the actor's id) or one method call on that state. Travels to worker JVMs with the
 * method and its arguments.
 */
final class ActorCall implements EngineFunction<Object> {
  private static final long serialVersionUID = 1L;
  /** The message of the error a call meets when the state is not on its engine. */
  static final String GONE = "the actor's state is not on its engine";

  private final String id;
  private final FnN<?> fn;
  private final Object[] args;
  private final boolean create;

  private ActorCall(String id, FnN<?> fn, Object[] args, boolean create) {
    this.id = id;
    this.fn = fn;
    this.args = args;
    this.create = create;
  }

  static ActorCall create(String id, FnN<?> ctor, Object[] args) {
    return new ActorCall(id, ctor, args, true);
  }

  static ActorCall method(String id, FnN<?> method, Object[] args) {
    return new ActorCall(id, method, args, false);
  }

  static EngineFunction<Object> remove(String id) {
    return ctx -> ctx.namespace().remove(id) != null;
  }

  @Override
  public Object apply(EngineContext context) throws Exception {
    if (create) {
      Object state = fn.apply(args);
      if (state == null) {
        throw new IllegalStateException("the actor's constructor returned null");
      }
      context.namespace().put(id, state);
      return Boolean.TRUE;
    }
    Object state = context.namespace().get(id);
    if (state == null) {
      throw new ActorDiedException(GONE, null);
    }
    Object[] all = new Object[args.length + 1];
    all[0] = state;
    System.arraycopy(args, 0, all, 1, args.length);
    return fn.apply(all);
  }
}
