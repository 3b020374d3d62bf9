package dev.tessera.graph.spi;

import java.time.Duration;
import java.util.Map;

/**
 * What a function running on an engine sees: which engine it is on, the engine's namespace
 * and its inbox. Valid only during the call it was given to.
 */
public interface EngineContext {
  /** {@return this engine's id, from 0 to {@code count() - 1}} */
  int engine();

  /** {@return how many engines the scheduler has} */
  int count();

  /** {@return this engine's name, as {@link Engines#name} gives it} */
  String name();

  /**
   * {@return this engine's namespace: variables by name that live as long as the scheduler,
   * seen by every later call on this engine (thread-safe; no null keys or values)}
   */
  Map<String, Object> namespace();

  /**
   * Sends a message to another engine's inbox (or this one's) and returns at once; messages
   * from one engine to another arrive in the order they were sent.
   *
   * @param engine the receiving engine's id
   * @param tag any number, for the receiver to tell messages apart
   * @param value the message; on worker JVMs it travels through the codecs
   * @throws IndexOutOfBoundsException if there is no such engine
   */
  void send(int engine, int tag, Object value);

  /**
   * Takes the next message from this engine's inbox, in arrival order, waiting up to the
   * timeout for one.
   *
   * @param timeout how long to wait at most
   * @return the message, or null if none arrived in time
   * @throws InterruptedException if the engine's thread is interrupted (the scheduler closes)
   */
  EngineMessage receive(Duration timeout) throws InterruptedException;
}
