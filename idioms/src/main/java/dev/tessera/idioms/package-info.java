/**
 * What the tutorials this project grew from teach, as thin layers over the futures client and
 * the schedulers' workers. One package per idiom family, each with its own entry class.
 *
 * <p>One rule for every timed wait of every idiom: when it runs out it throws the unchecked
 * {@link dev.tessera.idioms.ResultTimeoutException}, whose message names what timed out and
 * after how long ({@code AsyncResult.get(timeout)} of the views and of the pool,
 * {@code Ray.get(ref, timeout)}, a load-balanced task's {@code timeout}, joblib's
 * {@code Parallel.timeout}, an MPI group's timeout). A {@code get} with a timeout leaves the
 * work running; a run or a group that times out is stopped. Waits that say whether they are
 * done ({@code wait(timeout)}, Ray's {@code wait(refs, n, timeout)}) return instead of
 * throwing.
 */
package dev.tessera.idioms;
