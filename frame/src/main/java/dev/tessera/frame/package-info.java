/**
 * Partitioned frames on Tablesaw: {@link dev.tessera.frame.Frame}, the entry class.
 *
 * <h2>Design</h2>
 *
 * <p>A frame is a {@code Source} (CSV splits read inside tasks, or keys of a graph) plus a
 * chain of row-wise {@code PartitionOp}s, and the meta ({@link dev.tessera.frame.Schema}) that
 * results. The chain is not a graph layer per operation: it runs in one task per partition,
 * so that select, filter and assign never hand intermediate tables to the scheduler (the
 * effect of Dask's blockwise fusion). When a reduction needs only some columns, the chain is
 * pruned backwards from them and the CSV reader parses only the source columns that remain
 * (projection push-down).
 *
 * <p>Reductions are chunk / combine / finish steps ({@code Partial}): the chunk step runs in
 * the partition's task, so a partition is dropped as soon as its partial exists; combines are
 * associative and keep partition order, so the shape of the tree does not matter. Shuffles
 * (hash for joins, ranges for sorting) split each partition into pieces and gather piece j of
 * every partition into output partition j.
 *
 * <p>Tablesaw's {@code Table} is not serializable; every task function here is a small
 * serializable record, and in-memory tables travel as {@code TableValue}s.
 */
package dev.tessera.frame;
