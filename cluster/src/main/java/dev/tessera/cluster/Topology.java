package dev.tessera.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgnitePredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's members as Tessera sees them: worker (server) nodes carry the attributes below;
 * one log line per node that joins or leaves.
 */
final class Topology {
  /** A node's Tessera name, such as {@code worker-3}. */
  static final String NAME = "tessera.name";
  /** How many tasks a worker runs at once. */
  static final String THREADS = "tessera.threads";
  /** The worker's process id. */
  static final String PID = "tessera.pid";

  private static final Logger LOG = LoggerFactory.getLogger("dev.tessera.cluster");

  private Topology() {}

  /** {@return the node's Tessera name, or its id if it has none} */
  static String name(ClusterNode n) {
    Object name = n.attribute(NAME);
    return name != null ? name.toString() : n.id().toString().substring(0, 8);
  }

  /** {@return the live worker nodes; none while this client node reconnects} */
  static List<ClusterNode> workers(Ignite ignite) {
    List<ClusterNode> out = new ArrayList<>();
    java.util.Collection<ClusterNode> servers;
    try {
      servers = ignite.cluster().forServers().nodes();
    } catch (org.apache.ignite.IgniteClientDisconnectedException e) {
      return out; // it reconnects by itself; the workers come back with it
    }
    for (ClusterNode n : servers) {
      if (n.attribute(NAME) != null) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * Logs one line per node joined or left (to {@code print} if not null, else at INFO), and
   * tells {@code left} about each worker that left or failed.
   *
   * @return the listener, to stop with {@code events().stopLocalListen}
   */
  static IgnitePredicate<DiscoveryEvent> listen(Ignite ignite, Consumer<String> print,
      Consumer<ClusterNode> left) {
    IgnitePredicate<DiscoveryEvent> l = e -> {
      ClusterNode n = e.eventNode();
      String kind = n.isClient() ? "client" : "worker";
      String what = switch (e.type()) {
        case EventType.EVT_NODE_JOINED -> "joined";
        case EventType.EVT_NODE_LEFT -> "left";
        default -> "failed";
      };
      long workers = e.topologyNodes().stream().filter(x -> !x.isClient()).count();
      String line = kind + " " + name(n) + " " + what + " at " + n.addresses() + " ("
          + workers + " worker" + (workers == 1 ? "" : "s") + " now)";
      if (print != null) {
        print.accept(line);
      } else {
        LOG.info(line);
      }
      if (e.type() != EventType.EVT_NODE_JOINED && left != null) {
        left.accept(n);
      }
      return true;
    };
    ignite.events().localListen(l, EventType.EVT_NODE_JOINED, EventType.EVT_NODE_LEFT,
        EventType.EVT_NODE_FAILED);
    return l;
  }
}
