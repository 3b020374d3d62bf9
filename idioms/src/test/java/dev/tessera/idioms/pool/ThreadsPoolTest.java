package dev.tessera.idioms.pool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Pool contract on two threads. */
class ThreadsPoolTest extends PoolContractTest {
  private static Pool pool;

  @BeforeAll
  static void start() {
    pool = Pool.threads(2);
  }

  @AfterAll
  static void stop() {
    pool.close();
  }

  @Override
  protected Pool pool() {
    return pool;
  }
}
