package io.aftercare.platform.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.QuickOfflineRules;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's storm: a thousand load devices, in no home, that went silent together at the end
 * of a run. No node holds them, so the silent-devices check raises their absence alarms in one run,
 * a transaction each: the first declares the incident, the other 999 join it, and the service desk
 * gets one incident and no ticket. The devices are written straight into the table, as they are
 * after a run, to keep the test to seconds.
 */
class FleetIncidentStormTest {

  private static final Logger LOG = LoggerFactory.getLogger(FleetIncidentStormTest.class);

  private static final int DEVICES = 1000;

  @Test
  void aThousandSilentLoadDevicesAreOneIncidentAndNoTickets() throws Exception {
    try (TestPlatform platform =
        TestPlatform.start(
            QuickOfflineRules.settings(
                "diagnostics.fleetIncident.minHomes",
                "20",
                "diagnostics.fleetIncident.window",
                "1m"))) {
      long start = System.nanoTime();
      platform.execute(
          "INSERT INTO devices (id, type, token_salt, token_hash, created_at, online,"
              + " online_changed_at, last_seen_at)"
              + " SELECT 'storm-' || n, 'smart_plug', '\\x00', '\\x00', now() - interval '1 hour',"
              + " false, now() - n * interval '10 milliseconds',"
              + " now() - n * interval '10 milliseconds' FROM generate_series(1, ?) AS n",
          DEVICES);
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  platform.count(
                          "SELECT count(*) FROM alarms WHERE device_id LIKE 'storm-%'"
                              + " AND incident_id IS NOT NULL")
                      == DEVICES);
      LOG.info(
          "{} absence alarms raised and linked to one incident in {} ms",
          DEVICES,
          Duration.ofNanos(System.nanoTime() - start).toMillis());
      assertThat(platform.count("SELECT count(*) FROM incidents WHERE origin = 'detected'"))
          .isEqualTo(1);
      assertThat(platform.count("SELECT count(*) FROM ticket_requests")).isZero();
      assertThat(
              platform.count(
                  "SELECT count(*) FROM incident_scope WHERE kind = 'device' AND ref LIKE 'storm-%'"))
          .isEqualTo(DEVICES);
      assertThat(
              platform.count(
                  "SELECT homes FROM fleet_incidents f JOIN incidents i ON i.id = f.incident_id"
                      + " WHERE i.origin = 'detected'"))
          .isEqualTo(DEVICES);
      // The timeline says how far it grew a handful of times, not once per alarm.
      assertThat(
              platform.count(
                  "SELECT count(*) FROM incident_timeline WHERE kind = 'devices_joined'"))
          .isLessThan(12);
    }
  }
}
