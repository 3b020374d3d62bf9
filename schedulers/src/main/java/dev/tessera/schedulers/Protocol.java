package dev.tessera.schedulers;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The messages between the parent and a worker JVM, one TCP connection on loopback per
 * worker. Every message is a type byte and its fields, written with Data streams:
 *
 * <pre>
 * worker to parent   HELLO  token:UTF pid:long
 *                    DONE   id:long nanos:long size:long
 *                    FAILED id:long error:bytes        (a serialized Throwable or a RemoteTaskException)
 *                           inputs:int (value:bytes)*  (the task's inputs, for a re-run; -1 = none,
 *                           why:UTF)
 *                    DATA   id:long value:bytes        (answer to FETCH; empty = not held)
 *                    CLASS_REQUEST name:UTF            (a class not on the worker's class path)
 * parent to worker   RUN    id:long key:UTF task:bytes deps:int (id:long inline:bool [value:bytes])*
 *                    FETCH  id:long
 *                    RELEASE count:int id:long*
 *                    CANCEL                            (interrupt the running task, drop queued ones)
 *                    SHUTDOWN
 *                    CLASS_BYTES name:UTF class:bytes  (answer to CLASS_REQUEST; empty = unknown)
 * </pre>
 *
 * A result id names one task's result in one computation; a worker keeps the results it made
 * or received until told to release them.
 */
final class Protocol {
  private Protocol() {}

  static final byte HELLO = 1;
  static final byte DONE = 2;
  static final byte FAILED = 3;
  static final byte DATA = 4;
  /** A worker asks for the bytes of a class it cannot find (see {@link CallerClassLoader}). */
  static final byte CLASS_REQUEST = 5;
  static final byte RUN = 10;
  static final byte FETCH = 11;
  static final byte RELEASE = 12;
  static final byte CANCEL = 13;
  static final byte SHUTDOWN = 14;
  /** The parent's answer to {@link #CLASS_REQUEST}: the class file, or empty if unknown. */
  static final byte CLASS_BYTES = 15;

  static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("corrupt message: negative length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
