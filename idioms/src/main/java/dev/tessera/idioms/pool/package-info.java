/**
 * multiprocessing's {@code Pool}, in Java: {@link dev.tessera.idioms.pool.Pool} on threads or
 * worker JVMs, with {@code map}, {@code imap}, {@code imapUnordered}, {@code starmap},
 * {@code applyAsync} and multiprocessing's chunking and error propagation. Where Python raises
 * {@code multiprocessing.TimeoutError}, {@link dev.tessera.idioms.pool.AsyncResult#get(
 * java.time.Duration)} throws the idioms' one timeout exception, the unchecked
 * {@link dev.tessera.idioms.ResultTimeoutException}, naming the call and the timeout; the work
 * goes on.
 */
package dev.tessera.idioms.pool;
