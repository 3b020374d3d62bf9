package dev.tessera.array;

import dev.tessera.graph.core.TaskFunction;

/**
 * A task function that makes a block from nothing but its literal arguments (zeros, random
 * numbers, a function of the block index). Cheap to rerun, so {@link Array#optimize} may inline
 * it into each user rather than hold its result.
 */
interface Generator extends TaskFunction {}
