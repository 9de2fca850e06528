package io.aftercare.bridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.bridge.BridgeConfig;
import io.aftercare.bridge.InTransaction;
import io.aftercare.bridge.SealedText;
import io.aftercare.bridge.Technician;
import io.aftercare.bridge.TechnicianProfile;
import io.aftercare.bridge.TicketBridge;
import io.aftercare.bridge.TicketDetail;
import io.aftercare.bridge.TicketStatus;
import io.aftercare.bridge.TransitionRequest;
import io.aftercare.bridge.lease.DutyLeases;
import io.aftercare.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The ticket bridge alone, on a fresh database migrated with its own migrations (plus the devices
 * table it reads facts from): no platform, no device channels.
 */
public final class TestBridge implements AutoCloseable {

  /**
   * Opens the devices' customer references; the test devices table holds them in clear, as rows
   * written before sealing existed, which it returns as they are.
   */
  public static final SealedText SEALED = new SealedText(new byte[32]);

  private final TestDatabases.TestDatabase database;
  private final PGSimpleDataSource dataSource;
  private final DutyLeases leases;
  private final TicketBridge bridge;

  private TestBridge(BridgeConfig config, Clock clock) {
    this.database = TestDatabases.migrated("classpath:db/platform-devices");
    this.dataSource = new PGSimpleDataSource();
    dataSource.setUrl(database.url());
    dataSource.setUser(database.user());
    dataSource.setPassword(database.password());
    this.leases = new DutyLeases(dataSource, "test-bridge", Duration.ofSeconds(15));
    this.bridge = new TicketBridge(config, dataSource, clock, SEALED, leases);
  }

  /** A bridge with its background jobs running on the system clock. */
  public static TestBridge start(BridgeConfig config) {
    TestBridge test = new TestBridge(config, Clock.systemUTC());
    test.bridge.start();
    return test;
  }

  /** A bridge whose jobs run only when the test calls {@code bridge().runOnce()}, on its clock. */
  public static TestBridge idle(BridgeConfig config, Clock clock) {
    return new TestBridge(config, clock);
  }

  public TicketBridge bridge() {
    return bridge;
  }

  public TestDatabases.TestDatabase database() {
    return database;
  }

  /** For a second bridge instance on the same database. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Records a device as the platform's provisioning does, with the facts a ticket shows. */
  public void provision(
      String id,
      String type,
      String model,
      String firmware,
      String customerRef,
      String customerTier,
      LocalDate soldOn) {
    try (Connection c = database.connect();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO devices (id, type, model, firmware, customer_ref, customer_tier,"
                    + " sold_on) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, id);
      insert.setString(2, type);
      insert.setString(3, model);
      insert.setString(4, firmware);
      insert.setString(5, customerRef);
      insert.setString(6, customerTier);
      insert.setDate(7, Date.valueOf(soldOn));
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The single number a query like {@code SELECT count(*) FROM tickets WHERE ...} returns. */
  /**
   * Runs the bridge's work once and returns the ticket that request {@code requestId} became, or 0
   * while it is still unprocessed.
   */
  public long processed(long requestId) {
    bridge().runOnce();
    return count(
        "SELECT ticket_id FROM ticket_requests WHERE id = ? AND processed_at IS NOT NULL",
        requestId);
  }

  public TicketDetail ticket(long id) {
    return bridge().tickets().find(id).orElseThrow();
  }

  /**
   * A staff transition by "tom", as the API would make it. Dispatching first makes the assignee a
   * technician qualified for the ticket's device type, as dispatch requires (docs/dispatch.md).
   */
  public void move(long id, TicketStatus to, String assignee, String channel) {
    if (to == TicketStatus.DISPATCHED) {
      qualify(assignee, ticket(id).ticket().deviceType());
    }
    bridge()
        .tickets()
        .transition(
            id,
            new TransitionRequest(to.wireName(), null, assignee, channel, null),
            "tom",
            InTransaction.NOTHING);
  }

  /**
   * Closes the resolved ticket as the API would: the customer's acceptance of the repair, then
   * supervisor "sue" closes it with the customer's {@code satisfaction}.
   */
  public void closeWithSignOff(long id, int satisfaction) {
    bridge().customerCare().recordAcceptance(id, true, "works again", "sue", InTransaction.NOTHING);
    bridge()
        .tickets()
        .transition(
            id,
            new TransitionRequest(TicketStatus.CLOSED.wireName(), null, null, null, satisfaction),
            "sue",
            InTransaction.NOTHING);
  }

  /**
   * Gives {@code name} an active technician profile with a certification valid whatever the test's
   * clock says, skilled for {@code deviceType} in addition to the skills it had.
   */
  public void qualify(String name, String deviceType) {
    List<String> skills = new ArrayList<>(List.of(deviceType));
    bridge()
        .technicians()
        .find(name)
        .ifPresent(
            known ->
                known.skills().stream().filter(s -> !s.equals(deviceType)).forEach(skills::add));
    bridge()
        .technicians()
        .put(
            name,
            new TechnicianProfile(
                skills,
                null,
                new Technician.Certification("test certification", LocalDate.of(2999, 12, 31)),
                true),
            "tom",
            InTransaction.NOTHING);
  }

  /** The helpdesk events of {@code ticketId} of {@code type}, opened (the outbox seals them). */
  public List<JsonNode> outboxEvents(long ticketId, String type) {
    try (Connection connection = dataSource().getConnection()) {
      return OutboxEvents.of(connection, SEALED, ticketId, type);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public long count(String sql, Object... parameters) {
    try (Connection c = database.connect();
        PreparedStatement select = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    bridge.close();
    leases.close();
  }
}
