/**
 * multiprocessing's {@code Pool}, in Java: {@link dev.tessera.idioms.pool.Pool} on threads or
 * worker JVMs, with {@code map}, {@code imap}, {@code imapUnordered}, {@code starmap},
 * {@code applyAsync} and multiprocessing's chunking and error propagation.
 */
package dev.tessera.idioms.pool;
