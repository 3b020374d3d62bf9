package dev.tessera.array;

/**
 * The native BLAS/LAPACK under ND4J computed a wrong answer in the known-answer check that
 * {@link Linalg} runs once per JVM before its first factorization, so Tessera refuses to
 * return its numbers. The message names the library, its version, the CPU and the fixes.
 */
public final class NativeLibraryException extends ArrayException {
  private static final long serialVersionUID = 1L;

  NativeLibraryException(String message) {
    super(message);
  }
}
