package io.aftercare.platform.channel.coap;

import io.aftercare.bridge.lease.DutyLeases;
import io.aftercare.platform.device.DeviceConnectivity;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.DtlsEndpointContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online state of CoAP devices. CoAP has no connection whose end could be noticed, so a device is
 * online while it reports within {@code onlineWindow}: its first stored message marks it online,
 * and a periodic sweep marks it offline ({@code report_overdue}) once the window has passed since
 * its last message. Last-seen itself is kept by the writer, at most every {@code
 * ingest.lastSeenInterval} per device, seconds against a window of minutes.
 *
 * <p>The protocol recorded is {@code coap}, or {@code coaps} for a device that reports over DTLS; a
 * device that changes from one to the other is recorded online again with the new one.
 *
 * <p>The set of devices believed online only saves a database write per message; the database stays
 * the truth. After a restart the set is empty, so each device's next message records it online
 * again (one extra history row), and the sweep, which reads the database, still expires devices
 * that went silent while the gateway was down.
 *
 * <p>With several nodes, one sweeps for all (the node holding the sweep's lease). Another node
 * cannot know that the sweep expired a device it believes online, so it records the device online
 * again whenever its previous message here is a whole window old.
 */
final class CoapPresence implements AutoCloseable {

  static final String PROTOCOL = "coap";
  static final String SECURE_PROTOCOL = "coaps";
  private static final Logger LOG = LoggerFactory.getLogger(CoapPresence.class);

  private final DeviceConnectivity connectivity;
  private final Duration window;

  /** A device recorded online by this node: with which protocol, and its last message here. */
  private record Reported(String protocol, long atNanos) {}

  /** Device id to how it was recorded online. */
  private final Map<String, Reported> online = new ConcurrentHashMap<>();

  private final DutyLeases.Lease sweepLease;

  private Vertx vertx;
  private long sweepTimer = -1;

  CoapPresence(DeviceConnectivity connectivity, Duration window, DutyLeases leases) {
    this.connectivity = connectivity;
    this.window = window;
    this.sweepLease = leases.lease("CoAP presence sweep");
  }

  /** Sweeps four times per window, so a device is shown offline at most a quarter late. */
  void start(Vertx owner) {
    this.vertx = owner;
    long interval = Math.max(1_000, window.toMillis() / 4);
    sweepTimer = owner.setPeriodic(interval, id -> sweep());
  }

  /** {@code coaps} for a request that came through the DTLS endpoint, else {@code coap}. */
  static String protocolOf(CoapExchange exchange) {
    // The DTLS connector marks what it received with a DTLS context. Asking the endpoint for its
    // URI built a new URI per request: 7 % of the event loops' time at 5,000 requests/s.
    return exchange.advanced().getRequest().getSourceContext() instanceof DtlsEndpointContext
        ? SECURE_PROTOCOL
        : PROTOCOL;
  }

  /** Called after a message of the device, received over {@code protocol}, was committed. */
  void reported(String deviceId, String protocol) {
    Reported now = new Reported(protocol, System.nanoTime());
    Reported before = online.put(deviceId, now);
    if (before == null
        || !before.protocol().equals(protocol)
        || now.atNanos() - before.atNanos() >= window.toNanos()) {
      connectivity
          .online(deviceId, protocol, Instant.now())
          .onFailure(
              e -> {
                online.remove(deviceId, now);
                LOG.warn("Could not record {} online: {}", deviceId, e.getMessage());
              });
    }
  }

  private void sweep() {
    if (!sweepLease.held()) {
      return;
    }
    for (String protocol : new String[] {PROTOCOL, SECURE_PROTOCOL}) {
      connectivity
          .expire(protocol, window, DeviceConnectivity.REPORT_OVERDUE, Instant.now())
          .onSuccess(expired -> expired.forEach(online::remove))
          .onFailure(e -> LOG.warn("CoAP presence sweep failed: {}", e.getMessage()));
    }
  }

  @Override
  public void close() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
  }
}
