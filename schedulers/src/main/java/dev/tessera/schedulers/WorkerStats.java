package dev.tessera.schedulers;

/**
 * What one worker JVM reports about itself ({@link ProcessScheduler#workerStats()}), measured
 * inside it; -1 where unknown.
 *
 * @param pid its process id
 * @param heapBytes Java heap in use
 * @param heapMaxBytes the heap's limit
 * @param offHeapBytes native memory outside the JVM's heap and pools (ND4J's buffers among
 *     it): resident memory minus what the JVM committed, from {@code /proc} (Linux)
 * @param heldValues how many results it holds
 * @param heldBytes their estimated size in bytes
 */
public record WorkerStats(long pid, long heapBytes, long heapMaxBytes, long offHeapBytes,
    int heldValues, long heldBytes) {}
