package dev.tessera.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteMessaging;

/**
 * The messages waiting for one node: {@link #add} appends to a buffer and returns at once; the
 * {@link Sender} thread sends everything buffered as one Ignite message. Under load messages
 * batch by themselves (one Ignite message carries as many as piled up while the previous one
 * was being sent), with no added delay when idle.
 */
final class Outbox {
  private final IgniteMessaging messaging;
  private final String topic;
  private final Sender sender;
  private final Consumer<Throwable> onFailure;
  // guarded by this
  private ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private DataOutputStream data = new DataOutputStream(buffer);
  private boolean queued;
  private IOException broken;

  Outbox(Ignite ignite, UUID node, String topic, Sender sender, Consumer<Throwable> onFailure) {
    this.messaging = ignite.message(ignite.cluster().forNodeId(node));
    this.topic = topic;
    this.sender = sender;
    this.onFailure = onFailure;
  }

  /**
   * Queues one message.
   *
   * @throws IOException if an earlier send to this node failed (it is gone)
   */
  void add(Wire.Body body) throws IOException {
    boolean wake;
    synchronized (this) {
      if (broken != null) {
        throw broken;
      }
      body.write(data);
      wake = !queued;
      queued = true;
    }
    if (wake) {
      sender.ready(this);
    }
  }

  private synchronized byte[] drain() {
    queued = false;
    byte[] b = buffer.toByteArray();
    if (b.length > (1 << 20)) {
      // do not keep a large buffer for the life of the node
      buffer = new ByteArrayOutputStream();
      data = new DataOutputStream(buffer);
    } else {
      buffer.reset();
    }
    return b;
  }

  private void send(AtomicLong bytes) {
    byte[] b = drain();
    if (b.length == 0) {
      return;
    }
    try {
      messaging.sendOrdered(topic, b, 0);
      bytes.addAndGet(b.length);
    } catch (RuntimeException e) {
      synchronized (this) {
        broken = new IOException("cannot send to the node: " + e.getMessage(), e);
      }
      onFailure.accept(e);
    }
  }

  /** The thread that sends every outbox's messages, in the order they became ready. */
  static final class Sender implements AutoCloseable {
    private final LinkedBlockingQueue<Object> ready = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Bytes sent so far, over every outbox. */
    final AtomicLong bytesSent = new AtomicLong();

    Sender(String name) {
      thread = new Thread(this::loop, name);
      thread.setDaemon(true);
      thread.start();
    }

    void ready(Outbox o) {
      ready.add(o);
    }

    private void loop() {
      while (true) {
        Object o;
        try {
          o = ready.take();
        } catch (InterruptedException e) {
          return;
        }
        if (o == this) {
          return;
        }
        ((Outbox) o).send(bytesSent);
      }
    }

    @Override
    public void close() {
      ready.add(this);
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        thread.interrupt();
      }
    }
  }
}
