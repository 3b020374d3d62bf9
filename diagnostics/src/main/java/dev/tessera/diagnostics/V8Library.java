package dev.tessera.diagnostics;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads J2V8's native library with a non-executable stack, so that the JVM does not warn that
 * the library "might have disabled stack guard".
 *
 * <p>Why: the {@code libj2v8_linux_x86_64.so} that graphviz-java brings is linked without
 * {@code -z noexecstack}, and HotSpot prints that warning whenever such a library is loaded
 * after startup. The library does not need an executable stack (running {@code execstack -c}
 * on it is the fix the warning itself recommends). This class does the same on a private copy:
 * it unpacks the library under the V8 directory, clears the executable bit of its
 * {@code PT_GNU_STACK} program header, loads it, and tells J2V8 that its library is loaded.
 * Anything unexpected (another platform, another J2V8, another class loader) leaves J2V8 to
 * load its own copy as before.
 */
final class V8Library {
  private V8Library() {}

  private static final String NAME = "libj2v8_linux_x86_64.so";
  private static final int PT_GNU_STACK = 0x6474e551;
  private static final int PF_X = 1;

  // guarded by V8Library.class
  private static boolean tried;

  /** Loads the patched library once per JVM; returns whether J2V8 will use it. */
  static synchronized boolean load(Path dir) {
    if (tried) {
      return isLoaded();
    }
    tried = true;
    try {
      Class<?> v8 = Class.forName("com.eclipsesource.v8.V8");
      if (v8.getClassLoader() != V8Library.class.getClassLoader()
          || !System.getProperty("os.name", "").toLowerCase().contains("linux")
          || !System.getProperty("os.arch", "").matches("amd64|x86_64")) {
        return false;
      }
      Field loaded = v8.getDeclaredField("nativeLibraryLoaded");
      loaded.setAccessible(true);
      if (loaded.getBoolean(null)) {
        return true;
      }
      byte[] bytes;
      try (InputStream in = v8.getClassLoader().getResourceAsStream(NAME)) {
        if (in == null) {
          return false;
        }
        bytes = in.readAllBytes();
      }
      if (!clearExecStack(bytes)) {
        return false;
      }
      Path lib = dir.resolve("libj2v8-noexecstack-" + bytes.length + ".so");
      if (!Files.exists(lib) || Files.size(lib) != bytes.length) {
        // written aside and moved: another JVM may be loading the same file right now
        Path tmp = Files.createTempFile(dir, "libj2v8-", ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      System.load(lib.toAbsolutePath().toString()); // binds to this (= J2V8's) class loader
      loaded.setBoolean(null, true);
      return true;
    } catch (ReflectiveOperationException | IOException | LinkageError | RuntimeException e) {
      return false; // J2V8 loads its own copy (and the JVM may warn)
    }
  }

  private static boolean isLoaded() {
    try {
      Field loaded = Class.forName("com.eclipsesource.v8.V8").getDeclaredField("nativeLibraryLoaded");
      loaded.setAccessible(true);
      return loaded.getBoolean(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Clears {@code PF_X} of the {@code PT_GNU_STACK} header of a little-endian 64-bit ELF file;
   * returns false if {@code elf} is not one or has no such header.
   */
  static boolean clearExecStack(byte[] elf) {
    if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F'
        || elf[4] != 2 || elf[5] != 1) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    long phoff = b.getLong(0x20);
    int phentsize = Short.toUnsignedInt(b.getShort(0x36));
    int phnum = Short.toUnsignedInt(b.getShort(0x38));
    for (int i = 0; i < phnum; i++) {
      long at = phoff + (long) i * phentsize;
      if (at < 0 || at + 8 > elf.length) {
        return false;
      }
      if (b.getInt((int) at) == PT_GNU_STACK) {
        b.putInt((int) at + 4, b.getInt((int) at + 4) & ~PF_X);
        return true;
      }
    }
    return false;
  }
}
