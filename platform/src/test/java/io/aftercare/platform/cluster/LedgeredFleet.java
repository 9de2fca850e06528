package io.aftercare.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.faults.CoapLoad;
import io.aftercare.platform.faults.DeliveryLedger;
import io.aftercare.platform.faults.MqttLoad;
import io.aftercare.platform.faults.NumberedLoad;
import io.aftercare.testsupport.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devices sending numbered documents to whichever node a supplier names (the test's load balancer),
 * each with its {@link DeliveryLedger}; at the end every document they sent is classified against
 * the database: acknowledged and stored, unacknowledged, lost or duplicated.
 */
final class LedgeredFleet {

  private static final Logger LOG = LoggerFactory.getLogger(LedgeredFleet.class);

  private record Device(String id, DeliveryLedger ledger, NumberedLoad load) {}

  private final Instant base =
      Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
  private final List<Device> devices = new CopyOnWriteArrayList<>();

  /** Starts an MQTT 3.1.1 device publishing with QoS 1 to {@code serverUri}'s node. */
  void mqtt(String id, String token, Supplier<String> serverUri) {
    DeliveryLedger ledger = new DeliveryLedger(id);
    devices.add(new Device(id, ledger, new MqttLoad(serverUri, id, token, base, ledger).start()));
  }

  /** Starts a CoAP device posting confirmable requests to {@code baseUri}'s node. */
  void coap(String id, String token, Supplier<String> baseUri) {
    DeliveryLedger ledger = new DeliveryLedger(id);
    devices.add(new Device(id, ledger, new CoapLoad(baseUri, id, token, base, ledger).start()));
  }

  /** Waits until every device has {@code more} acknowledgements than it has now. */
  void awaitAcknowledgements(int more, Duration atMost) {
    Map<Device, Integer> before =
        devices.stream().collect(Collectors.toMap(d -> d, d -> d.ledger().ackedCount()));
    await()
        .atMost(atMost)
        .until(
            () ->
                before.entrySet().stream()
                    .allMatch(e -> e.getKey().ledger().ackedCount() >= e.getValue() + more));
  }

  /**
   * Stops every device, reads the database back and checks each verdict: nothing acknowledged is
   * missing, nothing is stored twice, and each device was acknowledged at all.
   */
  void stopAndCheck(String scenario, TestDatabases.TestDatabase database) throws Exception {
    for (Device device : devices) {
      device.load().stop();
    }
    List<DeliveryLedger.Verdict> verdicts = new ArrayList<>();
    try (Connection connection = database.connect()) {
      for (Device device : devices) {
        verdicts.add(
            device.ledger().classify(DeliveryLedger.storedCopies(connection, device.id())));
      }
    }
    verdicts.forEach(verdict -> LOG.info("{}: {}", scenario, verdict));
    for (DeliveryLedger.Verdict verdict : verdicts) {
      assertThat(verdict.lost()).as("%s: acknowledged but not stored", verdict).isZero();
      assertThat(verdict.duplicated()).as("%s: stored more than once", verdict).isZero();
      assertThat(verdict.ackedStored()).as("%s: acknowledged", verdict).isPositive();
    }
  }
}
