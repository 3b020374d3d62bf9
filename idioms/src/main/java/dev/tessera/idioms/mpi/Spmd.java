package dev.tessera.idioms.mpi;

import java.io.Serializable;

/**
 * The one program every rank of an MPI-style group runs (single program, multiple data),
 * told apart by {@link Comm#rank()}.
 *
 * @param <R> what each rank returns
 */
@FunctionalInterface
public interface Spmd<R> extends Serializable {
  /**
   * Runs on one rank.
   *
   * @param comm the group's communicator, as this rank sees it
   * @return this rank's result
   * @throws Exception anything: the whole group fails, naming this rank
   */
  R run(Comm comm) throws Exception;
}
