/**
 * joblib's {@code Parallel} and {@code delayed}, in Java:
 * {@link dev.tessera.idioms.joblib.Parallel} runs a list of
 * {@link dev.tessera.idioms.joblib.DelayedCall}s on threads, worker JVMs or any scheduler,
 * results in order, with joblib's {@code verbose} progress lines. A run with a
 * {@link dev.tessera.idioms.joblib.Parallel#timeout(java.time.Duration) timeout} that no call
 * meets is stopped with the idioms' one timeout exception, the unchecked
 * {@link dev.tessera.idioms.ResultTimeoutException}, naming the call and the timeout (joblib's
 * {@code TimeoutError}).
 */
package dev.tessera.idioms.joblib;
