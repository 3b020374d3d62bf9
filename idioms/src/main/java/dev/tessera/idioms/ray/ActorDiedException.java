package dev.tessera.idioms.ray;

/**
 * Fails the calls of an actor that cannot run them: it was killed, its creation failed, or
 * the worker it lived on died (its state is lost with it), as Ray's {@code RayActorException}.
 * The message names the actor and its engine and says what happened; the cause, when there is
 * one, is the engine's or the constructor's error.
 */
public final class ActorDiedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ActorDiedException(String message, Throwable cause) {
    super(message, cause);
  }
}
