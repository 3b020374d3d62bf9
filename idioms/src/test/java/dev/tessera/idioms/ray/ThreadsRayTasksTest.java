package dev.tessera.idioms.ray;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Ray's tasks on two threads. */
class ThreadsRayTasksTest extends RayTasksContractTest {
  private static Ray ray;

  @BeforeAll
  static void start() {
    ray = Ray.threads(2);
  }

  @AfterAll
  static void stop() {
    ray.close();
  }

  @Override
  protected Ray ray() {
    return ray;
  }
}
