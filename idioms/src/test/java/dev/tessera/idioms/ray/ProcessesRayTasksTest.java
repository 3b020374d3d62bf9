package dev.tessera.idioms.ray;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.TaskFailedException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ray's tasks on two worker JVMs, plus what only they can get wrong. */
class ProcessesRayTasksTest extends RayTasksContractTest {
  private static Ray ray;

  @BeforeAll
  static void start() {
    ray = Ray.processes(2);
  }

  @AfterAll
  static void stop() {
    ray.close();
  }

  @Override
  protected Ray ray() {
    return ray;
  }

  static InputStream openFile(String path) throws java.io.IOException {
    return Files.newInputStream(Paths.get(path));
  }

  static boolean isOpen(InputStream in) throws java.io.IOException {
    return in.read() == -1; // an empty file: end of stream at once
  }

  @Test
  void aReferenceArgumentIsResolvedOnTheWorkerNeverPulledHere() throws Exception {
    Path file = Files.createTempFile("tessera-ray", ".txt");
    try {
      // an open stream cannot travel: were it pulled here to be sent along, the task would fail
      ObjectRef<InputStream> in = ray.task(ProcessesRayTasksTest::openFile, file.toString())
          .remote();
      assertTrue(ray.task(ProcessesRayTasksTest::isOpen, in).remote().get());
      assertThrows(TaskFailedException.class, in::get); // and get() says it cannot come here
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
