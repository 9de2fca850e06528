package io.aftercare.platform.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * What the embedded PostgreSQL's superuser sets up so that the platform need not be one: the
 * superuser's password, the platform's own login role owning the {@code aftercare} database and its
 * schema, and a role with no login that owns the audit log, so that the platform can add entries
 * but neither change them nor turn off the triggers that refuse changes (a table's owner can).
 * Every step is idempotent and runs at each start, which also upgrades data folders made by
 * versions that ran everything as the superuser.
 */
final class EmbeddedRoles {

  static final String SUPERUSER = "postgres";
  static final String OWNER = "aftercare";
  static final String AUDIT_OWNER = "aftercare_audit";
  static final String DATABASE = "aftercare";

  private EmbeddedRoles() {}

  /** On the {@code postgres} database: passwords, roles and the application database. */
  static void secure(Connection superuser, String superuserSecret, String ownerSecret)
      throws SQLException {
    PGConnection pg = superuser.unwrap(PGConnection.class);
    // The driver sends a SCRAM verifier computed here, never the password itself.
    pg.alterUserPassword(SUPERUSER, superuserSecret.toCharArray(), "scram-sha-256");
    try (Statement statement = superuser.createStatement()) {
      if (!exists(superuser, "SELECT 1 FROM pg_roles WHERE rolname = ?", OWNER)) {
        statement.execute("CREATE ROLE " + OWNER + " LOGIN");
      }
      // Re-stated every start: an earlier version or an operator may have widened it.
      statement.execute(
          "ALTER ROLE "
              + OWNER
              + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
      pg.alterUserPassword(OWNER, ownerSecret.toCharArray(), "scram-sha-256");
      if (!exists(superuser, "SELECT 1 FROM pg_roles WHERE rolname = ?", AUDIT_OWNER)) {
        statement.execute("CREATE ROLE " + AUDIT_OWNER + " NOLOGIN");
      }
      if (exists(superuser, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
        statement.execute("ALTER DATABASE " + DATABASE + " OWNER TO " + OWNER);
      } else {
        statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER);
      }
    }
  }

  /**
   * On the {@code aftercare} database: hands the platform's role what the superuser created there
   * before this version (tables, views, sequences, functions; not extensions' members), so that
   * Flyway, running as the platform's role, can migrate them.
   */
  static void transferSchema(Connection superuser) throws SQLException {
    try (Statement statement = superuser.createStatement()) {
      statement.execute(
          "DO $$ DECLARE r record; BEGIN"
              + " FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c"
              + "   JOIN pg_namespace n ON n.oid = c.relnamespace"
              + "   WHERE n.nspname = 'public' AND c.relowner = '"
              + SUPERUSER
              + "'::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
              + "   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid"
              + "     AND d.deptype = 'e')"
              + " LOOP"
              + "   EXECUTE format('ALTER %s %s OWNER TO "
              + OWNER
              + "', CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'"
              + "     WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name);"
              + " END LOOP;"
              // Sequences owned by a column moved with their table; these are the free ones.
              + " FOR r IN SELECT c.oid::regclass AS name FROM pg_class c"
              + "   JOIN pg_namespace n ON n.oid = c.relnamespace"
              + "   WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relowner = '"
              + SUPERUSER
              + "'::regrole AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid"
              + "     AND d.deptype IN ('a', 'i', 'e'))"
              + " LOOP EXECUTE format('ALTER SEQUENCE %s OWNER TO "
              + OWNER
              + "', r.name); END LOOP;"
              + " FOR r IN SELECT p.oid::regprocedure AS name, p.prokind FROM pg_proc p"
              + "   JOIN pg_namespace n ON n.oid = p.pronamespace"
              + "   WHERE n.nspname = 'public' AND p.proowner = '"
              + SUPERUSER
              + "'::regrole AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid"
              + "     AND d.deptype = 'e')"
              + " LOOP EXECUTE format('ALTER %s %s OWNER TO "
              + OWNER
              + "', CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE'"
              + "     ELSE 'FUNCTION' END, r.name); END LOOP;"
              + " END $$");
    }
  }

  /**
   * On the migrated {@code aftercare} database: gives the audit log, its chain head and its
   * functions to {@link #AUDIT_OWNER}, leaving the platform's role SELECT and INSERT only.
   */
  static void sealAuditLog(Connection superuser) throws SQLException {
    if (!exists(
        superuser,
        "SELECT 1 FROM pg_class WHERE oid = 'audit_log'::regclass" + " AND relowner <> ?::regrole",
        AUDIT_OWNER)) {
      return;
    }
    try (Statement statement = superuser.createStatement()) {
      for (String table : new String[] {"audit_log", "audit_chain_head"}) {
        statement.execute("ALTER TABLE " + table + " OWNER TO " + AUDIT_OWNER);
      }
      for (String function :
          new String[] {
            "audit_log_is_append_only()",
            "audit_log_chain()",
            "audit_log_entry_hash(bytea, audit_log)",
            "audit_log_verify()"
          }) {
        statement.execute("ALTER FUNCTION " + function + " OWNER TO " + AUDIT_OWNER);
      }
      statement.execute("REVOKE ALL ON audit_log, audit_chain_head FROM " + OWNER);
      statement.execute("GRANT SELECT, INSERT ON audit_log TO " + OWNER);
      statement.execute("GRANT USAGE ON SEQUENCE audit_log_id_seq TO " + OWNER);
    }
  }

  private static boolean exists(Connection connection, String sql, String parameter)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, parameter);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next();
      }
    }
  }
}
