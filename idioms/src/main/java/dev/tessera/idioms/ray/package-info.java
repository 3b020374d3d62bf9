/**
 * Ray's tasks and actors, in Java: {@link dev.tessera.idioms.ray.Ray} sends remote tasks that
 * return {@link dev.tessera.idioms.ray.ObjectRef}s ({@code get}, {@code put}, {@code wait}),
 * and creates actors ({@link dev.tessera.idioms.ray.ActorHandle}): stateful objects on one
 * engine whose method calls run there in the order they were sent.
 */
package dev.tessera.idioms.ray;
