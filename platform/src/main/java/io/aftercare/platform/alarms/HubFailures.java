package io.aftercare.platform.alarms;

import io.aftercare.platform.config.AftercareConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hub that failed: every device behind it (in service, at least {@code minDevices}) went offline
 * together, within {@code window} of the device whose absence alarm is being raised, while the rest
 * of the home stayed up (else {@link HomeOutages} has already blamed the home). One home alarm of
 * kind {@code hub_failure} names the hub and explains the devices' absence alarms: no remedy, no
 * ticket.
 *
 * <p>The hub is the cause, so the hub's own alarms are never linked to it: when the hub went
 * offline too, its {@code device_offline} asks for the one ticket; when it stays up (its radio side
 * lost, its uplink fine), whatever its own rules raise on it gets its remedy and ticket as usual.
 * Called under the home's lock.
 */
final class HubFailures {

  private static final Logger LOG = LoggerFactory.getLogger(HubFailures.class);

  private final AftercareConfig.HomeOutage config;

  HubFailures(AftercareConfig.HomeOutage config) {
    this.config = config;
  }

  /**
   * The open failure of the hub, or one raised now.
   *
   * @param since when the silence of the device being judged began
   */
  Optional<Long> explain(Connection c, String home, String hubId, Instant since, Instant now)
      throws SQLException {
    Optional<Long> open = HomeAlarmRows.open(c, home, HomeAlarmKind.HUB_FAILURE, hubId);
    if (open.isPresent()) {
      return open;
    }
    int total;
    int offline;
    boolean hubOffline;
    try (PreparedStatement count =
        c.prepareStatement(
            "SELECT count(*), count(*) FILTER (WHERE NOT online AND "
                + HomeOutages.LAST_HEARD
                + " BETWEEN ? AND ?), (SELECT NOT online FROM devices WHERE id = ?) FROM devices"
                + " WHERE hub_id = ? AND service_state = 'active'")) {
      count.setTimestamp(1, Timestamp.from(since.minus(config.window())));
      count.setTimestamp(2, Timestamp.from(since.plus(config.window())));
      count.setString(3, hubId);
      count.setString(4, hubId);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        total = rs.getInt(1);
        offline = rs.getInt(2);
        hubOffline = rs.getBoolean(3);
      }
    }
    if (offline < total || offline < config.minDevices()) {
      return Optional.empty();
    }
    String description =
        hubOffline
            ? "Hub failure: hub " + hubId + " is offline with the " + total + " devices behind it"
            : "Hub failure: the " + total + " devices behind hub " + hubId + " are offline";
    long id =
        HomeAlarmRows.insert(
            c,
            new HomeAlarmRows.Raise(
                home, HomeAlarmKind.HUB_FAILURE, hubId, description, total, offline),
            now);
    LOG.info(
        "Home alarm {} raised: the {} devices behind hub {} went offline together (hub {})",
        id,
        total,
        hubId,
        hubOffline ? "offline too" : "up");
    return Optional.of(id);
  }
}
