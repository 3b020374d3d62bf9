package dev.tessera.cluster;

import dev.tessera.schedulers.engine.EngineHost;
import dev.tessera.schedulers.engine.WorkerEndpoint;
import dev.tessera.schedulers.engine.WorkerReport;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterMetrics;
import org.apache.ignite.cluster.ClusterNode;

/**
 * One worker node as the engine sees it: every call queues a {@link Wire} message in the
 * node's {@link Outbox} and returns; the answers come back through {@link Transport}.
 */
final class NodeEndpoint implements WorkerEndpoint {
  final ClusterNode node;
  private final String name;
  private final Outbox out;
  private final AtomicBoolean dead = new AtomicBoolean();
  private final Transport transport;
  private final Ignite ignite;

  NodeEndpoint(Ignite ignite, ClusterNode node, Outbox.Sender sender, Transport transport) {
    this.node = node;
    this.ignite = ignite;
    this.transport = transport;
    Object pid = node.attribute(Topology.PID);
    this.name = Topology.name(node) + " (" + node.addresses().iterator().next()
        + (pid != null ? ", pid " + pid : "") + ")";
    this.out = new Outbox(ignite, node.id(), Wire.TO_WORKER, sender,
        e -> transport.lost(this, "cannot be reached: " + e.getMessage()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean alive() {
    return !dead.get();
  }

  /**
   * Marks the worker dead, so that its death is told once.
   *
   * @return whether this call did
   */
  boolean markDead() {
    return dead.compareAndSet(false, true);
  }

  private void send(Wire.Body body) throws IOException {
    if (dead.get()) {
      throw new IOException(name + " left the cluster");
    }
    out.add(body);
  }

  @Override
  public void run(long id, String key, boolean output, byte[] task, long[] inputIds,
      byte[][] inline) throws IOException {
    send(o -> {
      o.writeByte(Wire.RUN);
      o.writeLong(id);
      o.writeUTF(key.length() > 8000 ? key.substring(0, 8000) : key);
      o.writeBoolean(output);
      Wire.writeBytes(o, task);
      o.writeInt(inputIds.length);
      for (int j = 0; j < inputIds.length; j++) {
        o.writeLong(inputIds[j]);
        o.writeBoolean(inline[j] != null);
        if (inline[j] != null) {
          Wire.writeBytes(o, inline[j]);
        }
      }
    });
  }

  @Override
  public void fetch(long id) throws IOException {
    send(o -> {
      o.writeByte(Wire.FETCH);
      o.writeLong(id);
    });
  }

  /**
   * Has this worker fetch {@code fromId} from worker {@code from} itself, with one Ignite
   * compute call between the two nodes: the value does not cross this program's link. Values
   * under {@link Wire#SMALL} bytes go through the program instead (a fetch and the task's
   * send are two messages; a compute call costs more than both for a small value: a chain of
   * 100,000 tasks took twice as long with every input pulled).
   */
  @Override
  public boolean pull(long id, WorkerEndpoint from, long fromId, long sizeBytes)
      throws IOException {
    if (!(from instanceof NodeEndpoint f) || !f.alive() || sizeBytes < Wire.SMALL) {
      return false;
    }
    String fromNode = f.node.id().toString();
    send(o -> {
      o.writeByte(Wire.PULL);
      o.writeLong(id);
      o.writeUTF(fromNode);
      o.writeLong(fromId);
    });
    return true;
  }

  @Override
  public void release(long[] ids) throws IOException {
    send(o -> {
      o.writeByte(Wire.RELEASE);
      o.writeInt(ids.length);
      for (long id : ids) {
        o.writeLong(id);
      }
    });
  }

  @Override
  public void cancel(long lo, long hi) throws IOException {
    send(o -> {
      o.writeByte(Wire.CANCEL);
      o.writeLong(lo);
      o.writeLong(hi);
    });
  }

  /** Queues an engine call for the worker's engine (see {@link ClusterEngines}). */
  void engineCall(long id, int engine, int count, String engineName, byte[] fn)
      throws IOException {
    send(o -> {
      o.writeByte(Wire.ENGINE_CALL);
      EngineHost.writeCall(o, id, engine, count, engineName, fn);
    });
  }

  /** Queues a message for the worker's engine's inbox. */
  void engineMessage(int from, int tag, byte[] value) throws IOException {
    send(o -> {
      o.writeByte(Wire.ENGINE_MESSAGE);
      EngineHost.writeMessage(o, from, tag, value);
    });
  }

  /** Asks how many values the worker holds for this program. */
  void count() throws IOException {
    send(o -> o.writeByte(Wire.COUNT));
  }

  /** Queues a message the worker ignores: a send that fails tells that it is unreachable. */
  void ping() throws IOException {
    send(o -> o.writeByte(Wire.PING));
  }

  /** {@return the worker's pid when it runs on this machine (loopback), else null} */
  Long localPid() {
    Object pid = node.attribute(Topology.PID);
    return pid instanceof Long p && node.addresses().stream().anyMatch(a -> a.startsWith("127."))
        ? p : null;
  }

  /**
   * Ends the worker at once when it runs on this machine (its pid is known and alive here);
   * a worker elsewhere is left alone, and its tasks are recovered when it leaves.
   */
  @Override
  public void kill() {
    Long pid = localPid();
    if (pid != null) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * The node's metrics as Ignite's discovery last spread them (every few seconds, without a
   * message of ours): heap, CPU, what the JVM committed; the bytes it holds are unknown here.
   */
  @Override
  public WorkerReport report() {
    ClusterNode now = ignite.cluster().node(node.id());
    if (now == null) {
      return null; // it left
    }
    ClusterMetrics m = now.metrics();
    Object pid = node.attribute(Topology.PID);
    double cpu = m.getCurrentCpuLoad();
    return new WorkerReport(pid instanceof Long p ? p : -1,
        cpu < 0 ? -1 : cpu * 100 * Math.max(1, m.getTotalCpus()), m.getHeapMemoryUsed(),
        m.getHeapMemoryMaximum(), m.getHeapMemoryCommitted() + m.getNonHeapMemoryCommitted(), -1);
  }

  @Override
  public String toString() {
    return name;
  }
}
