/**
 * joblib's {@code Parallel} and {@code delayed}, in Java:
 * {@link dev.tessera.idioms.joblib.Parallel} runs a list of
 * {@link dev.tessera.idioms.joblib.DelayedCall}s on threads, worker JVMs or any scheduler,
 * results in order, with joblib's {@code verbose} progress lines.
 */
package dev.tessera.idioms.joblib;
