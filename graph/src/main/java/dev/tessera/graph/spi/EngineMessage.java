package dev.tessera.graph.spi;

/**
 * A message in an engine's inbox (see {@link EngineContext#receive}).
 *
 * @param from the sending engine's id, or {@link Engines#OUTSIDE}
 * @param tag the sender's tag
 * @param value the message (may be null)
 */
public record EngineMessage(int from, int tag, Object value) {}
