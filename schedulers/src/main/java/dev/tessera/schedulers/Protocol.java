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
 *                    DONE   id:long nanos:long size:long small:bool [value:bytes]
 *                                                    (the value of an output, when small)
 *                    FAILED id:long error:bytes        (a serialized Throwable or a RemoteTaskException)
 *                           inputs:int (value:bytes)*  (the task's inputs, for a re-run; -1 = none,
 *                           why:UTF)
 *                    DATA   id:long value:bytes        (answer to FETCH; empty = not held)
 *                  COUNTED n:int                     (answer to COUNT)
 *                  STATS_REPLY heap:long heapMax:long offHeap:long values:int bytes:long
 *                                                    (answer to STATS; -1 = unknown)
 *                  UNSENDABLE id:long error:bytes    (answer to FETCH: the held value cannot be
 *                                                     encoded, e.g. not serializable or too big)
 *                    CLASS_REQUEST name:UTF            (a class not on the worker's class path)
 * parent to worker   RUN    id:long key:UTF output:bool task:bytes deps:int (id:long inline:bool [value:bytes])*
 *                    FETCH  id:long
 *                    RELEASE count:int id:long*
 *                    CANCEL lo:long hi:long            (interrupt the running task and drop queued
 *                                                     ones whose id is in [lo, hi): one computation)
 *                  COUNT                             (how many values the worker holds)
 *                  STATS                             (its heap, off-heap and bytes held)
 *                    SHUTDOWN
 *                    CLASS_BYTES name:UTF class:bytes  (answer to CLASS_REQUEST; empty = unknown)
 * </pre>
 *
 * The engines (see {@link ProcessEngines} and {@link WorkerEngine}) add, the first two in the
 * layout of {@link dev.tessera.schedulers.engine.EngineHost} (shared with the Ignite cluster):
 *
 * <pre>
 * parent to worker   ENGINE_CALL    id:long engine:int count:int name:UTF fn:bytes
 *                    ENGINE_MESSAGE from:int tag:int value:bytes  (into the engine's inbox)
 * worker to parent   ENGINE_DONE    id:long value:bytes
 *                    ENGINE_FAILED  id:long error:bytes           (as in FAILED)
 *                    ENGINE_SEND    from:int to:int tag:int value:bytes  (relayed by the parent
 *                                                     as an ENGINE_MESSAGE to engine {@code to})
 * </pre>
 *
 * and, for engine calls made by a task on a worker ({@link ForwardedEngines}):
 *
 * <pre>
 * worker to parent   ENGINE_FORWARD   id:long engine:int fn:bytes  (sent on as an ENGINE_CALL,
 *                                                     after the calls the parent sent before)
 * parent to worker   ENGINE_FORWARDED id:long ok:bool value:bytes  (its result, or its error
 *                                                     as in FAILED)
 * </pre>
 *
 * and, for direct links between workers' engines (see {@link EnginePeers}):
 *
 * <pre>
 * worker to parent   PEER_ASK       to:int            (where does engine {@code to} listen?)
 *                    PEER_OPEN      port:int secret:UTF  (answer to PEER_LISTEN; port -1 = none)
 * parent to worker   PEER_LISTEN                      (open your listener for a peer)
 *                    PEER_AT        to:int port:int secret:UTF  (answer to PEER_ASK; -1 = relay)
 *                    PEER_GONE      to:int            (engine {@code to}'s worker died: drop
 *                                                     the link to it, ask again next time)
 * worker to worker   PEER_HELLO secret:UTF from:int, then (tag:int value:bytes)*
 *                                                     (on a link: messages of engine {@code from})
 * </pre>
 *
 * and, for task inputs that travel from one worker straight to another (see {@link InputPeers}):
 *
 * <pre>
 * parent to worker   INPUTS_SECRET secret:UTF         (the pool's secret: open your listener for
 *                                                     peers; not sent when every input is relayed)
 *                    PULL   id:long port:int fromId:long  (fetch fromId from the worker listening
 *                                                     on port; keep it under id)
 *                    PULL_GONE port:int               (the worker on port died: fail its pulls)
 * worker to parent   INPUTS_AT port:int               (answer to INPUTS_SECRET; -1 = none)
 *                    PULLED id:long bytes:long        (answer to PULL: held now)
 *                    PULL_FAILED id:long notHeld:bool why:UTF  (answer to PULL)
 * worker to worker   ASK secret:UTF id:long, answered by status:byte and, for VALUE, value:bytes
 *                                                     (a wrong secret: REFUSED before the id is read)
 *                                                     (one value per connection)
 * </pre>
 *
 * A result id names one task's result in one computation (each computation has its own range
 * of ids); a worker keeps the results it made or received until told to release them, also
 * after the computation ended when they are persisted or held by a future.
 */
final class Protocol {
  private Protocol() {}

  /** Outputs up to this many encoded bytes travel with their DONE. */
  static final int SMALL = 64 * 1024;

  static final byte HELLO = 1;
  static final byte DONE = 2;
  static final byte FAILED = 3;
  static final byte DATA = 4;
  /** A worker asks for the bytes of a class it cannot find (see {@link CallerClassLoader}). */
  static final byte CLASS_REQUEST = 5;
  static final byte UNSENDABLE = 6;
  static final byte COUNTED = 7;
  static final byte RUN = 10;
  static final byte FETCH = 11;
  static final byte RELEASE = 12;
  static final byte CANCEL = 13;
  static final byte SHUTDOWN = 14;
  /** The parent's answer to {@link #CLASS_REQUEST}: the class file, or empty if unknown. */
  static final byte CLASS_BYTES = 15;
  static final byte COUNT = 16;
  /** How the worker is doing: answered by {@link #STATS_REPLY}. */
  static final byte STATS = 17;
  /** heapUsed:long heapMax:long offHeap:long values:int heldBytes:long */
  static final byte STATS_REPLY = 8;
  static final byte ENGINE_CALL = 40;
  static final byte ENGINE_MESSAGE = 41;
  static final byte ENGINE_DONE = 42;
  static final byte ENGINE_FAILED = 43;
  static final byte ENGINE_SEND = 44;
  static final byte PEER_ASK = 45;
  static final byte PEER_OPEN = 46;
  static final byte PEER_LISTEN = 47;
  static final byte PEER_AT = 48;
  static final byte PEER_GONE = 49;
  static final byte ENGINE_FORWARD = 50;
  static final byte ENGINE_FORWARDED = 51;
  static final byte INPUTS_SECRET = 52;
  static final byte INPUTS_AT = 53;
  static final byte PULL = 54;
  static final byte PULLED = 55;
  static final byte PULL_FAILED = 56;
  static final byte PULL_GONE = 57;

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
