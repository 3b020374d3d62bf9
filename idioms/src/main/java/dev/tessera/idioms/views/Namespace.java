package dev.tessera.idioms.views;

import dev.tessera.graph.spi.EngineContext;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One engine's variables, by name, as a function running there sees them: what
 * {@link DirectView#push} writes and {@link DirectView#pull} reads. It lives as long as the
 * scheduler (on worker JVMs: as long as the worker). Valid only during the call it was given
 * to.
 */
public final class Namespace {
  private final EngineContext context;

  Namespace(EngineContext context) {
    this.context = context;
  }

  /** {@return this engine's id} */
  public int engine() {
    return context.engine();
  }

  /** {@return how many engines the scheduler has} */
  public int count() {
    return context.count();
  }

  /**
   * Returns a variable.
   *
   * @param name its name
   * @param <T> its type, as the caller expects it
   * @return its value
   * @throws NoSuchElementException if this engine has no such variable, naming it and the
   *     engine (the Java form of Python's {@code NameError})
   */
  @SuppressWarnings("unchecked")
  public <T> T get(String name) {
    Objects.requireNonNull(name, "name");
    Object v = context.namespace().get(name);
    if (v == null) {
      throw new NoSuchElementException("name '" + name + "' is not defined on " + context.name()
          + " (it has " + names() + "): push it first, e.g. view.push(Map.of(\"" + name
          + "\", value))");
    }
    return (T) v;
  }

  /**
   * Returns a variable, or a default when this engine does not have it.
   *
   * @param name its name
   * @param otherwise the default
   * @param <T> its type
   * @return the value or the default
   */
  @SuppressWarnings("unchecked")
  public <T> T getOrDefault(String name, T otherwise) {
    Objects.requireNonNull(name, "name");
    Object v = context.namespace().get(name);
    return v == null ? otherwise : (T) v;
  }

  /**
   * Sets a variable.
   *
   * @param name its name
   * @param value its value, not null
   * @return the value, for chaining in a lambda
   * @param <T> the value's type
   */
  public <T> T put(String name, T value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, () -> "value of '" + name + "': engine namespaces hold no"
        + " nulls (remove the name instead)");
    context.namespace().put(name, value);
    return value;
  }

  /**
   * Removes a variable.
   *
   * @param name its name
   * @return whether it was there
   */
  public boolean remove(String name) {
    Objects.requireNonNull(name, "name");
    return context.namespace().remove(name) != null;
  }

  /**
   * {@return whether this engine has the variable}
   *
   * @param name its name
   */
  public boolean contains(String name) {
    Objects.requireNonNull(name, "name");
    return context.namespace().containsKey(name);
  }

  /** {@return the names of this engine's variables, sorted (a snapshot)} */
  public Set<String> names() {
    return new TreeSet<>(context.namespace().keySet());
  }

  /** {@return the variables themselves, a live map (no null keys or values)} */
  public Map<String, Object> map() {
    return context.namespace();
  }

  @Override
  public String toString() {
    return "namespace of " + context.name() + " " + names();
  }
}
