package dev.tessera.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class V8LibraryTest {
  /** The flags of the PT_GNU_STACK header, or -1. */
  private static int stackFlags(byte[] elf) {
    ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    long off = b.getLong(0x20);
    int size = Short.toUnsignedInt(b.getShort(0x36));
    for (int i = 0; i < Short.toUnsignedInt(b.getShort(0x38)); i++) {
      int at = (int) (off + (long) i * size);
      if (b.getInt(at) == 0x6474e551) {
        return b.getInt(at + 4);
      }
    }
    return -1;
  }

  @Test
  void theBundledLibraryAsksForAnExecutableStackAndThePatchClearsOnlyThatBit() throws Exception {
    byte[] lib;
    try (InputStream in = getClass().getClassLoader()
        .getResourceAsStream("libj2v8_linux_x86_64.so")) {
      lib = in.readAllBytes();
    }
    int before = stackFlags(lib);
    assertEquals(1, before & 1, "J2V8's library is expected to ask for an executable stack");
    byte[] patched = lib.clone();
    assertTrue(V8Library.clearExecStack(patched));
    assertEquals(before & ~1, stackFlags(patched));
    int differ = 0;
    for (int i = 0; i < lib.length; i++) {
      differ += lib[i] != patched[i] ? 1 : 0;
    }
    assertEquals(1, differ, "one byte changes");
  }

  @Test
  void notAnElfFileIsLeftAlone() {
    assertFalse(V8Library.clearExecStack(new byte[100]));
    assertFalse(V8Library.clearExecStack(new byte[3]));
  }
}
