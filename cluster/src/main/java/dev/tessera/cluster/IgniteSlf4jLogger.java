package dev.tessera.cluster;

import org.apache.ignite.IgniteLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ignite's log through SLF4J, one level down: Ignite's INFO (its banner, topology snapshots,
 * start-up chatter) goes to DEBUG and its DEBUG to TRACE, so that a program logging at INFO
 * sees Ignite's warnings and errors only; Tessera's own lines (a node joined or left) stay at
 * INFO. Categories keep Ignite's class names, under {@code org.apache.ignite}.
 */
final class IgniteSlf4jLogger implements IgniteLogger {
  private final Logger log;

  IgniteSlf4jLogger() {
    this(LoggerFactory.getLogger("org.apache.ignite"));
  }

  private IgniteSlf4jLogger(Logger log) {
    this.log = log;
  }

  @Override
  public IgniteLogger getLogger(Object category) {
    String name = category == null ? "org.apache.ignite"
        : category instanceof Class<?> c ? c.getName() : category.toString();
    return new IgniteSlf4jLogger(LoggerFactory.getLogger(name));
  }

  @Override
  public void trace(String msg) {
    log.trace(msg);
  }

  @Override
  public void debug(String msg) {
    log.trace(msg);
  }

  @Override
  public void info(String msg) {
    log.debug(msg);
  }

  @Override
  public void warning(String msg, Throwable e) {
    if (e == null && harmless(msg)) {
      log.debug(msg);
    } else {
      log.warn(msg, e);
    }
  }

  /**
   * Warnings Ignite prints on every start that ask for nothing a Tessera user can or should
   * change: IPv4 (we bind one address), the initial heap (results live on the heap, sized by
   * -Xmx), a client joining during a state change, the
   * persistence directory (we persist nothing).
   */
  static boolean harmless(String msg) {
    return msg != null && (msg.startsWith("Please set system property '-Djava.net.preferIPv4Stack")
        || msg.startsWith("Initial heap size is")
        || msg.startsWith("Received state finish message with unexpected ID")
        || msg.startsWith("Persistence store directory is in the temp directory"));
  }

  @Override
  public void error(String msg, Throwable e) {
    log.error(msg, e);
  }

  @Override
  public boolean isTraceEnabled() {
    return log.isTraceEnabled();
  }

  @Override
  public boolean isDebugEnabled() {
    return log.isTraceEnabled();
  }

  @Override
  public boolean isInfoEnabled() {
    return log.isDebugEnabled();
  }

  @Override
  public boolean isQuiet() {
    return false;
  }

  @Override
  public String fileName() {
    return null;
  }
}
