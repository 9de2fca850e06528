package io.aftercare.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.platform.testing.EmbeddedDatabaseFolder;
import io.aftercare.platform.testing.TestPlatform;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A data folder made by a version before passwords (pg_hba trust, everything owned by the
 * superuser, audit entries without a chain) is upgraded at its next start.
 */
class EmbeddedDatabaseUpgradeTest {

  @Test
  void aTrustingDataFolderOfAnEarlierVersionIsSecuredAtItsNextStart() throws Exception {
    Path dataDir = Files.createTempDirectory("aftercare-upgrade");
    try (EmbeddedPostgres earlier =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir.resolve("postgres"))
            .setCleanDataDirectory(false)
            .setServerConfig("listen_addresses", "127.0.0.1")
            .start()) {
      try (Connection c = earlier.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE aftercare");
      }
      String url = earlier.getJdbcUrl("postgres", "aftercare");
      Flyway.configure().dataSource(url, "postgres", "").target("85").load().migrate();
      try (Connection c = DriverManager.getConnection(url, "postgres", "");
          Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO audit_log (actor, action, target, outcome)"
                + " VALUES ('admin', 'staff.create', 'staff', 'allowed')");
      }
    }

    try (TestPlatform platform =
        TestPlatform.startEmbedded(Map.of("dataDir", dataDir.toString()))) {
      EmbeddedDatabaseFolder folder = platform.embeddedDatabase();
      Properties noPassword = new Properties();
      noPassword.setProperty("user", "postgres");
      assertThatThrownBy(() -> DriverManager.getConnection(folder.url(), noPassword).close())
          .isInstanceOf(SQLException.class);
      platform.api().createStaff("after-upgrade", "viewer");
      try (Connection superuser = folder.superuser().connect();
          Statement s = superuser.createStatement()) {
        assertThat(
                single(
                    s,
                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                        + " AND tableowner NOT IN ('aftercare', 'aftercare_audit')"))
            .isEqualTo(0);
        assertThat(
                single(
                    s,
                    "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'"))
            .isEqualTo(0);
      }
      var verdict = platform.api().get("/api/v1/audit/verify").body();
      assertThat(verdict.get("intact").asBoolean()).isTrue();
      assertThat(
              platform.count(
                  "SELECT chain_seq FROM audit_log WHERE actor = 'admin'"
                      + " AND action = 'staff.create' ORDER BY id LIMIT 1"))
          .as("the earlier entry heads the chain")
          .isEqualTo(1);
      assertThat(verdict.get("checked").asLong())
          .isEqualTo(platform.count("SELECT count(*) FROM audit_log"));
    }
  }

  @Test
  void aPasswordProtectedFolderWhoseSuperuserSecretIsLostIsRefusedWithTheReason() throws Exception {
    Path dataDir = Files.createTempDirectory("aftercare-lost-secret");
    Files.createDirectories(dataDir.resolve("postgres"));
    Files.writeString(
        dataDir.resolve("postgres/pg_hba.conf"),
        "# trust nobody\nhost all all 127.0.0.1/32 scram-sha-256\n");
    assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("postgres-superuser.secret is missing");
    assertThat(dataDir.resolve("postgres-superuser.secret")).doesNotExist();
  }

  private static long single(Statement statement, String sql) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
