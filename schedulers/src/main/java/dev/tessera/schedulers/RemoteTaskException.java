package dev.tessera.schedulers;

/**
 * Stands in for an exception thrown in a worker process that could not be sent back as it is
 * (its class does not serialize): it carries the original class name, message and stack trace.
 */
public final class RemoteTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String remoteClass;

  RemoteTaskException(String remoteClass, String message, String remoteTrace) {
    super(remoteClass + ": " + message + "\n(remote stack trace)\n" + remoteTrace);
    this.remoteClass = remoteClass;
  }

  /** {@return the class name of the exception thrown in the worker} */
  public String remoteClass() {
    return remoteClass;
  }
}
