package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.bridge.lease.DutyLeases;
import io.aftercare.bridge.testing.FakeHelpdesk;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.bridge.testing.StandardWebhooks;
import io.aftercare.bridge.testing.TestBridge;
import io.aftercare.bridge.testing.TestBridgeConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two bridge instances with four delivery workers each share one outbox: every event reaches the
 * helpdesk exactly once, and each ticket's events arrive in the order they were written.
 */
class ConcurrentDeliveryTest {

  private static final int DEVICES = 12;
  private static final int REQUESTS_PER_DEVICE = 6;

  private static FakeHelpdesk helpdesk;
  private static TestBridge first;
  private static TicketBridge secondInstance;

  @BeforeAll
  static void start() {
    helpdesk = FakeHelpdesk.start();
    BridgeConfig config =
        TestBridgeConfig.defaults()
            .webhook(helpdesk.url("/hooks"), StandardWebhooks.SECRET)
            .allowPrivateAddresses()
            .deliveryWorkers(4)
            .pollInterval(Duration.ofMillis(20))
            .build();
    first = TestBridge.start(config);
    secondInstance =
        new TicketBridge(
            config,
            first.dataSource(),
            Clock.systemUTC(),
            TestBridge.SEALED,
            new DutyLeases(first.dataSource(), "second-bridge", Duration.ofSeconds(15)));
    secondInstance.start();
  }

  @AfterAll
  static void stop() {
    if (secondInstance != null) {
      secondInstance.close();
    }
    if (first != null) {
      first.close();
    }
    if (helpdesk != null) {
      helpdesk.close();
    }
  }

  @Test
  void everyEventIsDeliveredOnceAndInOrderPerTicket() {
    for (int round = 0; round < REQUESTS_PER_DEVICE; round++) {
      for (int device = 0; device < DEVICES; device++) {
        SampleRequests.open(first.database(), "hub-" + device, "offline");
      }
    }
    int expected = DEVICES * REQUESTS_PER_DEVICE;
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                first.count("SELECT count(*) FROM ticket_outbox WHERE status = 'delivered'")
                    == expected);

    List<FakeHelpdesk.Received> received = helpdesk.received();
    assertThat(received).hasSize(expected);
    assertThat(received.stream().map(r -> r.header("webhook-id")).distinct().count())
        .isEqualTo(expected);
    Map<Long, List<String>> arrived = new HashMap<>();
    for (FakeHelpdesk.Received r : received) {
      arrived.computeIfAbsent(r.ticketId(), id -> new ArrayList<>()).add(r.header("webhook-id"));
    }
    assertThat(arrived).hasSize(DEVICES);
    assertThat(arrived).allSatisfy((ticketId, ids) -> assertThat(ids).isEqualTo(written(ticketId)));
  }

  private static List<String> written(long ticketId) {
    try (Connection connection = first.database().connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT event_id FROM ticket_outbox WHERE ticket_id = ? ORDER BY id")) {
      select.setLong(1, ticketId);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString("event_id"));
        }
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
