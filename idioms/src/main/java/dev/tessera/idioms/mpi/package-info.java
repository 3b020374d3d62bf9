/**
 * MPI-style SPMD programs, as mpi4py teaches them: {@link dev.tessera.idioms.mpi.Mpi} (the
 * entry point) runs one {@link dev.tessera.idioms.mpi.Spmd} function on n engines, each with
 * a {@link dev.tessera.idioms.mpi.Comm} (rank, size, send/recv, bcast, scatter, gather,
 * reduce, allreduce, barrier) and {@link dev.tessera.idioms.mpi.Op} operators. A group run
 * with a timeout that it outlives is stopped with a
 * {@link dev.tessera.idioms.ResultTimeoutException} naming its size and the timeout (the
 * idioms' one timeout exception); a failed rank is an
 * {@link dev.tessera.idioms.mpi.MpiException} naming the rank.
 */
package dev.tessera.idioms.mpi;
