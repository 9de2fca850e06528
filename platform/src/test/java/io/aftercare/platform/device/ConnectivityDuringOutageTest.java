package io.aftercare.platform.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/**
 * Promise 11: a device that disconnects while the database is away does not stay online once it is
 * back; the change that failed to write is written again.
 */
class ConnectivityDuringOutageTest {

  @Test
  void aDisconnectDuringAnOutageIsRecordedWhenTheDatabaseReturns() throws Exception {
    try (TestPlatform platform = TestPlatform.start()) {
      String token = platform.api().provisionDevice("hub-outage", "hub");
      MqttClient device = PahoDevices.v3(platform.mqttUri(), "hub-outage", token);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> platform.count("SELECT count(*) FROM devices WHERE online") == 1);

      TestDatabases.TestDatabase database = platform.database();
      String name = databaseName(database);
      try {
        // The database goes away: no new connection is allowed, and every open one is ended.
        administer(database, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
        administer(
            database,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + name
                + "'");

        device.disconnect();
        device.close();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> platform.metric("aftercare_connectivity_unrecorded") == 1.0);
      } finally {
        administer(database, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  platform.count("SELECT count(*) FROM devices WHERE id = 'hub-outage' AND online")
                      == 0);
      assertThat(
              platform.count(
                  "SELECT count(*) FROM device_connectivity"
                      + " WHERE device_id = 'hub-outage' AND NOT online AND reason = 'disconnected'"))
          .isEqualTo(1);
      assertThat(platform.metric("aftercare_connectivity_unrecorded")).isZero();
    }
  }

  private static String databaseName(TestDatabases.TestDatabase database) {
    String path = database.url().replaceFirst("\\?.*$", "");
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Runs {@code sql} connected to the server's {@code postgres} database, not the test's. */
  private static void administer(TestDatabases.TestDatabase database, String sql)
      throws SQLException {
    String url = database.url().replaceFirst("/[^/?]*(\\?|$)", "/postgres$1");
    try (Connection connection =
            DriverManager.getConnection(url, database.user(), database.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
