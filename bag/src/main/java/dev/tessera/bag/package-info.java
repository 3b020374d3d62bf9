/**
 * Bags: lazy, partitioned collections of plain objects, like Dask's {@code dask.bag}. The entry
 * class is {@link dev.tessera.bag.Bag}.
 *
 * <h2>Design</h2>
 *
 * <p>A bag is, per partition, a <em>source</em> (the elements of a computed partition, a block
 * of a text file, a range of numbers) plus a list of element-wise <em>steps</em> still to run
 * (map, filter, flat-map). Element-wise operations only append a step, so a chain of them costs
 * nothing at build time and one task per partition at run time: the steps are composed into a
 * push loop ({@code Pipeline}) that feeds each element through every step into a terminal. The
 * terminal is a new list when the partition itself is wanted, an accumulator when a reduction
 * consumes it, a bucket list for a shuffle, or a file writer; so a reduction over
 * {@code readText(...).flatMap(...)} never materializes lines or words.
 *
 * <p>Operations on whole partitions (mapPartitions, zip, repartition, concat) work on the
 * partitions' keys; the bag's {@code optimize} fuses the remaining linear chains with
 * {@link dev.tessera.graph.core.Graphs#fuse}.
 *
 * <p>Reductions are {@code Reducer}s written as chunk / combine / finish steps and run as a
 * tree with a fan-in of {@code splitEvery}: combine is associative and receives partials in
 * partition order, so order-sensitive folds (string concatenation, first occurrence in
 * {@code distinct}) agree with a sequential run. Partials are serializable and never mutated
 * once returned, because a partial may be shared (persisted) or shipped to another process.
 *
 * <p>Groupby's shuffle ({@code Tasks.Split}, {@code Pick}, {@code Group}) cuts each partition
 * into buckets of (key, element) pairs, keeps each in memory or spills it to the split task's
 * file ({@code BagSpill}, within {@link dev.tessera.bag.BagShuffleMemory}), and one tiny task
 * per (split, bucket) hands bucket {@code j} on, so a split's result is dropped at once and
 * each bucket as soon as the task that gathers it has run and released it.
 *
 * <p>Errors: a user function's exception is caught by its step, which records the function's
 * name; the partition loop adds the element's index and throws a
 * {@link dev.tessera.bag.BagElementException}; the scheduler wraps it with the task's key.
 */
package dev.tessera.bag;
