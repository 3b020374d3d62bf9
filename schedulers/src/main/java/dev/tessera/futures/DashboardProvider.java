package dev.tessera.futures;

/**
 * Starts the live dashboard that {@link Client#dashboard(boolean)} opens. The dashboard module
 * ({@code tessera-dashboard}) provides one through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.tessera.futures.DashboardProvider}); this module cannot depend
 * on it, since it depends on this one.
 */
public interface DashboardProvider {
  /**
   * Starts a dashboard on loopback, attached to every computation of this JVM, and prints its
   * URL.
   *
   * @return the running dashboard
   */
  Running start();

  /** A dashboard started for a client; closing the client closes it. */
  interface Running extends AutoCloseable {
    /** {@return the page's URL} */
    String url();

    /** Stops the dashboard; idempotent. */
    @Override
    void close();
  }
}
