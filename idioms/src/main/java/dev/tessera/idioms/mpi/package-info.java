/**
 * MPI-style SPMD programs, as mpi4py teaches them: {@link dev.tessera.idioms.mpi.Mpi} (the
 * entry point) runs one {@link dev.tessera.idioms.mpi.Spmd} function on n engines, each with
 * a {@link dev.tessera.idioms.mpi.Comm} (rank, size, send/recv, bcast, scatter, gather,
 * reduce, allreduce, barrier) and {@link dev.tessera.idioms.mpi.Op} operators.
 */
package dev.tessera.idioms.mpi;
