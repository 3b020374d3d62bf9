package dev.tessera.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The messages between a program (an Ignite client node) and a worker node. Each Ignite
 * message is a batch: one or more of these, written with Data streams, sent with
 * {@code IgniteMessaging.sendOrdered} so that a pair of nodes sees them in order.
 *
 * <pre>
 * program to worker (topic {@link #TO_WORKER})
 *   RUN     id:long key:UTF output:bool task:bytes deps:int (id:long inline:bool [value:bytes])*
 *   FETCH   id:long
 *   RELEASE count:int id:long*
 *   CANCEL  lo:long hi:long      interrupt the running task and drop the queued ones in [lo, hi)
 *   COUNT                        how many values the worker holds for this program
 *   PING                         nothing: a send that fails tells the node is unreachable
 *   PULL    id:long from:UTF fromId:long   fetch fromId straight from worker node {@code from}
 *                                          (Ignite compute) and keep it under id
 * worker to program (topic {@link #TO_CLIENT})
 *   DONE    id:long nanos:long size:long small:bool [value:bytes]
 *   FAILED  id:long error:bytes inputs:int (value:bytes)* | -1 why:UTF
 *   DATA    id:long value:bytes  (empty: not held)
 *   UNSENDABLE id:long error:bytes
 *   COUNTED n:int
 *   PULLED  id:long size:long                 a PULL's value is kept here under id
 *   PULL_FAILED id:long notHeld:bool why:UTF  it is not: not held there, or not reachable
 * </pre>
 *
 * The engines ({@link ClusterEngines}, one per worker node, run there by an
 * {@link dev.tessera.schedulers.engine.EngineHost}) add the worker JVMs' five messages, in the
 * same layout:
 *
 * <pre>
 * program to worker
 *   ENGINE_CALL    id:long engine:int count:int name:UTF fn:bytes
 *   ENGINE_MESSAGE from:int tag:int value:bytes     (into the engine's inbox)
 * worker to program
 *   ENGINE_DONE    id:long value:bytes
 *   ENGINE_FAILED  id:long error:bytes
 *   ENGINE_SEND    from:int to:int tag:int value:bytes  (relayed by the program as an
 *                                                    ENGINE_MESSAGE to engine {@code to})
 * </pre>
 *
 * The ids are the engine's ({@link dev.tessera.schedulers.engine.WorkerEndpoint}); a worker
 * keeps every program's results apart and drops them all when that program's node leaves.
 */
final class Wire {
  private Wire() {}

  static final String TO_WORKER = "tessera.to-worker";
  static final String TO_CLIENT = "tessera.to-client";

  /** Outputs up to this many encoded bytes travel with their DONE. */
  static final int SMALL = 64 * 1024;

  static final byte RUN = 1;
  static final byte FETCH = 2;
  static final byte RELEASE = 3;
  static final byte CANCEL = 4;
  static final byte COUNT = 5;
  static final byte PING = 6;
  static final byte PULL = 7;
  static final byte DONE = 11;
  static final byte FAILED = 12;
  static final byte DATA = 13;
  static final byte UNSENDABLE = 14;
  static final byte COUNTED = 15;
  static final byte PULLED = 16;
  static final byte PULL_FAILED = 17;
  static final byte ENGINE_CALL = 20;
  static final byte ENGINE_MESSAGE = 21;
  static final byte ENGINE_DONE = 22;
  static final byte ENGINE_FAILED = 23;
  static final byte ENGINE_SEND = 24;

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

  /** Writes one message into a batch. */
  interface Body {
    void write(DataOutputStream out) throws IOException;
  }
}
