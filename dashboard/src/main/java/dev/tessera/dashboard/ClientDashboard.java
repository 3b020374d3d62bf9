package dev.tessera.dashboard;

import dev.tessera.futures.DashboardProvider;

/**
 * What {@code Client.dashboard(true)} starts: a {@link Dashboard} on loopback (port 8787, or a
 * free one), its URL printed. Found through {@link java.util.ServiceLoader}.
 */
public final class ClientDashboard implements DashboardProvider {
  /** Creates the provider (the service loader calls this). */
  public ClientDashboard() {}

  @Override
  public Running start() {
    Dashboard d = Dashboard.start();
    return new Running() {
      @Override
      public String url() {
        return d.url();
      }

      @Override
      public void close() {
        d.close();
      }
    };
  }
}
