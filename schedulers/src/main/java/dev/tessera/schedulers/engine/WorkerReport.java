package dev.tessera.schedulers.engine;

/**
 * What a transport last learnt about one worker's JVM ({@link WorkerEndpoint#report()}), for
 * diagnostics; -1 where unknown.
 *
 * @param pid the worker's process id
 * @param cpuPercent its CPU use, 100 per busy core
 * @param heapBytes Java heap in use
 * @param heapMaxBytes the heap's limit
 * @param committedBytes memory the JVM committed for its heap and its own pools (code,
 *     metaspace): resident memory minus this is the native memory of ND4J's buffers and the like
 * @param heldBytes the estimated bytes of the results it holds
 */
public record WorkerReport(long pid, double cpuPercent, long heapBytes, long heapMaxBytes,
    long committedBytes, long heldBytes) {}
