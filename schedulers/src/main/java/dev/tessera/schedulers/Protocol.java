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
 *                    DATA   id:long value:bytes        (answer to FETCH; empty = not held)
                    UNSENDABLE id:long error:bytes    (answer to FETCH: the held value cannot be
                                                       encoded, e.g. not serializable or too big)
 * parent to worker   RUN    id:long key:UTF task:bytes deps:int (id:long inline:bool [value:bytes])*
 *                    FETCH  id:long
 *                    RELEASE count:int id:long*
 *                    CANCEL                            (interrupt the running task, drop queued ones)
 *                    SHUTDOWN
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
  static final byte UNSENDABLE = 5;
  static final byte RUN = 10;
  static final byte FETCH = 11;
  static final byte RELEASE = 12;
  static final byte CANCEL = 13;
  static final byte SHUTDOWN = 14;

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
