/**
 * Ray's tasks and actors, in Java: {@link dev.tessera.idioms.ray.Ray} sends remote tasks that
 * return {@link dev.tessera.idioms.ray.ObjectRef}s ({@code get}, {@code put}, {@code wait}),
 * and creates actors ({@link dev.tessera.idioms.ray.ActorHandle}): stateful objects on one
 * engine whose method calls run there in the order they were sent. Where Ray raises
 * {@code GetTimeoutError}, {@link dev.tessera.idioms.ray.Ray#get(dev.tessera.idioms.ray.ObjectRef,
 * java.time.Duration)} and {@link dev.tessera.idioms.ray.ObjectRef#get(java.time.Duration)}
 * throw the idioms' one timeout exception, the unchecked
 * {@link dev.tessera.idioms.ResultTimeoutException}, naming the reference and the timeout; the
 * work goes on.
 */
package dev.tessera.idioms.ray;
