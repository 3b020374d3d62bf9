package dev.tessera.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillAreaTest {
  @TempDir Path tmp;

  @Test
  void budgetIsSetResetAndParsed() {
    SpillArea a = new SpillArea("tessera-test-", "test");
    a.setBudget(0);
    assertEquals(0, a.budget());
    a.resetBudget();
    assertTrue(a.budget() > 0);
    assertEquals(512L << 20, SpillArea.parse("512m"));
    assertEquals(3L << 30, SpillArea.parse(" 3G "));
    assertEquals(7L << 10, SpillArea.parse("7k"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SpillArea.parse("lots"));
    assertTrue(e.getMessage().contains(SpillArea.BUDGET_PROPERTY), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> a.setBudget(-1));
    assertTrue(e.getMessage().contains("test memory budget"), e.getMessage());
  }

  @Test
  void directoryIsMadeUnderTheRootAndDeadJvmsDirectoriesAreSwept() throws Exception {
    // a directory of a JVM that no longer runs (no such pid), one of ours, and a stranger's
    Path dead = Files.createDirectories(tmp.resolve("tessera-test-" + Long.MAX_VALUE + "-x"));
    Files.writeString(dead.resolve("piece.bin"), "left behind");
    Path stranger = Files.createDirectories(tmp.resolve("tessera-test-notapid"));
    SpillArea a = new SpillArea("tessera-test-", "test");
    a.setRoot(tmp);
    assertEquals(tmp, a.root());
    assertFalse(Files.exists(dead), "a dead JVM's directory stays");
    assertTrue(Files.exists(stranger), "a directory that is not ours went");
    Path d = a.directory();
    assertEquals(tmp, d.getParent());
    assertTrue(d.getFileName().toString().startsWith("tessera-test-"
        + ProcessHandle.current().pid() + "-"), d.toString());
    assertEquals(d, a.directory(), "one directory per JVM");
    // a new root: the empty directory goes, the next one is made under the new root
    Path other = Files.createDirectories(tmp.resolve("other"));
    a.setRoot(other);
    assertFalse(Files.exists(d));
    assertEquals(other, a.directory().getParent());
    SpillArea.deleteTree(other);
    assertFalse(Files.exists(other));
  }
}
