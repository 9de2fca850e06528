package io.aftercare.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.platform.testing.EmbeddedDatabaseFolder;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Promise 3 on the embedded PostgreSQL, tried the way a local user would: from its port and data
 * folder, with JDBC (no psql needed).
 */
class EmbeddedDatabaseAccessTest {

  private static TestPlatform platform;
  private static EmbeddedDatabaseFolder folder;

  @BeforeAll
  static void start() {
    platform = TestPlatform.startEmbedded(Map.of());
    folder = platform.embeddedDatabase();
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Test
  void aConnectionWithoutPasswordIsRefused() {
    for (String user : new String[] {"postgres", "aftercare"}) {
      Properties properties = new Properties();
      properties.setProperty("user", user);
      assertThatThrownBy(() -> DriverManager.getConnection(folder.url(), properties).close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password");
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    for (String user : new String[] {"postgres", "aftercare"}) {
      assertThatThrownBy(() -> DriverManager.getConnection(folder.url(), user, "guess").close())
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }
  }

  @Test
  void thePasswordsAreInOwnerOnlyFilesAndPgHbaTrustsNoOne() throws Exception {
    for (String file : new String[] {"postgres-superuser.secret", "postgres-aftercare.secret"}) {
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(folder.postgresDir().resolveSibling(file))))
          .isEqualTo("rw-------");
    }
    try (Connection superuser = folder.superuser().connect();
        Statement statement = superuser.createStatement()) {
      assertThat(single(statement, "SELECT count(*) FROM pg_hba_file_rules")).isEqualTo("3");
      assertThat(
              single(
                  statement,
                  "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'"))
          .isEqualTo("0");
      assertThat(single(statement, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void thePlatformConnectsAsAnOwnerThatIsNoSuperuser() throws Exception {
    try (Connection superuser = folder.superuser().connect();
        Statement statement = superuser.createStatement()) {
      assertThat(
              single(
                  statement,
                  "SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity"
                      + " WHERE application_name = 'aftercare'"))
          .isEqualTo("aftercare");
      assertThat(
              single(
                  statement,
                  "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls FROM pg_roles"
                      + " WHERE rolname = 'aftercare'"))
          .isEqualTo("f");
      assertThat(
              single(
                  statement,
                  "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                      + " AND tableowner NOT IN ('aftercare', 'aftercare_audit')"))
          .isEqualTo("0");
    }
    try (Connection owner = folder.owner().connect();
        Statement statement = owner.createStatement()) {
      assertThat(single(statement, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
          .isEqualTo("f");
      assertThat(single(statement, "SELECT current_setting('is_superuser')")).isEqualTo("off");
    }
  }

  @Test
  void thePlatformsRoleCannotRunPrograms() throws Exception {
    try (Connection owner = folder.owner().connect();
        Statement statement = owner.createStatement()) {
      assertRefused(statement, "COPY (SELECT 1) TO PROGRAM 'id'");
      assertRefused(statement, "COPY devices FROM PROGRAM 'id'");
      assertRefused(statement, "SELECT pg_read_file('postgresql.conf')");
    }
  }

  @Test
  void thePlatformsRoleCannotChangeOrHideAuditHistory() throws Exception {
    platform.api().createStaff("auditee", "viewer");
    try (Connection owner = folder.owner().connect();
        Statement statement = owner.createStatement()) {
      assertThat(single(statement, "SELECT count(*) > 0 FROM audit_log")).isEqualTo("t");
      assertRefused(statement, "UPDATE audit_log SET actor = 'nobody'");
      assertRefused(statement, "DELETE FROM audit_log");
      assertRefused(statement, "TRUNCATE audit_log");
      // The owner of a table may switch its triggers off: the platform's role is not the owner.
      assertRefused(statement, "ALTER TABLE audit_log DISABLE TRIGGER ALL");
      assertRefused(statement, "UPDATE audit_chain_head SET seq = 0");
    }
    var verdict = platform.api().get("/api/v1/audit/verify");
    assertThat(verdict.status()).isEqualTo(200);
    assertThat(verdict.body().get("intact").asBoolean()).isTrue();
    assertThat(verdict.body().get("checked").asLong())
        .isEqualTo(platform.count("SELECT count(*) FROM audit_log"));
  }

  private static void assertRefused(Statement statement, String sql) {
    assertThatThrownBy(() -> statement.execute(sql))
        .as(sql)
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
