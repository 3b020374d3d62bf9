package dev.tessera.idioms.ray;

import dev.tessera.graph.FnN;
import java.util.Objects;

/**
 * An actor that has not been created yet, as Ray's {@code Ray.actor(Counter::new)}:
 * {@link #name(String)} names it (Ray's {@code setName}), {@link #remote()} creates it.
 *
 * @param <T> the actor's class
 */
public final class ActorCreator<T> {
  private final Ray ray;
  private final FnN<? extends T> ctor;
  private final Object[] args;
  private final String className;
  private final String name;

  ActorCreator(Ray ray, FnN<? extends T> ctor, Object[] args, String className, String name) {
    this.ray = ray;
    this.ctor = ctor;
    this.args = args;
    this.className = className;
    this.name = name;
  }

  /**
   * Returns this creator for a named actor, which {@link Ray#getActor(String)} finds while it
   * lives.
   *
   * @param name the name, unique among this Ray's live actors
   * @return the new creator
   */
  public ActorCreator<T> name(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("an actor's name must not be empty");
    }
    return new ActorCreator<>(ray, ctor, args, className, name);
  }

  /**
   * Creates the actor on one engine (a worker thread or a worker JVM) and returns its handle
   * at once; calls made meanwhile run after the constructor.
   *
   * @return the handle
   * @throws IllegalArgumentException if a live actor already has this name
   */
  public ActorHandle<T> remote() {
    return ray.create(ctor, args, className, name);
  }
}
