package io.aftercare.bridge.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two or three nodes' leases on one real database: a duty is held by one node at a time, and moves
 * to another when its holder stops, cleanly or killed.
 */
class DutyLeasesTest {

  /** Short, so that a killed holder's leases expire within the test. */
  private static final Duration TERM = Duration.ofMillis(900);

  /** Generous against a loaded machine; the documented bound is one term and a third. */
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private TestDatabases.TestDatabase database;

  @BeforeEach
  void freshDatabase() {
    database = TestDatabases.migrated("classpath:db/platform-devices");
  }

  @Test
  void aNodeAloneHoldsItsDutiesAsSoonAsItAsksForThem() {
    try (DutyLeases alone = node("alone")) {
      assertThat(alone.lease("sweep").held()).isTrue();
      assertThat(alone.lease("archive").held()).isTrue();
    }
  }

  @Test
  void aDutyIsHeldByOneNodeAtATime() {
    try (DutyLeases a = node("a");
        DutyLeases b = node("b");
        DutyLeases c = node("c")) {
      DutyLeases.Lease onA = a.lease("sweep");
      DutyLeases.Lease onB = b.lease("sweep");
      DutyLeases.Lease onC = c.lease("sweep");
      a.start();
      b.start();
      c.start();

      // Over several renewals of all three, the first node keeps it and no other gets it.
      long until = System.nanoTime() + 3 * TERM.toNanos();
      while (System.nanoTime() < until) {
        assertThat(onA.held()).isTrue();
        assertThat(onB.held() || onC.held()).isFalse();
      }
      assertThat(holderOf("sweep")).isEqualTo("a");
    }
  }

  @Test
  void aKilledHoldersDutyMovesToAnotherNodeOnceItsLeaseExpires() {
    PGSimpleDataSource killable = dataSource();
    DutyLeases a = new DutyLeases(killable, "a", TERM);
    try (DutyLeases b = node("b")) {
      DutyLeases.Lease onA = a.lease("sweep");
      DutyLeases.Lease onB = b.lease("sweep");
      a.start();
      b.start();
      assertThat(onA.held()).isTrue();

      // Killed: its connections are gone and it gives nothing up.
      killable.setPortNumbers(new int[] {1});

      await()
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(5))
          .until(
              () -> {
                assertThat(onA.held() && onB.held()).as("held by both at once").isFalse();
                return onB.held();
              });
      assertThat(onA.held()).isFalse();
      assertThat(holderOf("sweep")).isEqualTo("b");
    } finally {
      a.close();
    }
  }

  @Test
  void aNodeThatStopsCleanlyHandsItsDutiesOverAtTheNextRenewal() {
    DutyLeases a = node("a");
    try (DutyLeases b = node("b")) {
      a.lease("archive");
      DutyLeases.Lease onB = b.lease("archive");
      b.start();
      assertThat(onB.held()).isFalse();

      a.close();

      await().atMost(DEADLINE).until(onB::held);
      assertThat(holderOf("archive")).isEqualTo("b");
    }
  }

  @Test
  void aNodeRestartedUnderItsNameTakesItsOwnLeasesBackAtOnce() {
    PGSimpleDataSource killable = dataSource();
    DutyLeases crashed = new DutyLeases(killable, "a", Duration.ofMinutes(10));
    crashed.lease("sweep");
    killable.setPortNumbers(new int[] {1});

    try (DutyLeases restarted = new DutyLeases(dataSource(), "a", Duration.ofMinutes(10))) {
      assertThat(restarted.lease("sweep").held()).isTrue();
    } finally {
      crashed.close();
    }
  }

  private DutyLeases node(String name) {
    return new DutyLeases(dataSource(), name, TERM);
  }

  private PGSimpleDataSource dataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(database.url());
    dataSource.setUser(database.user());
    dataSource.setPassword(database.password());
    return dataSource;
  }

  private String holderOf(String duty) {
    try (Connection c = database.connect();
        PreparedStatement select =
            c.prepareStatement("SELECT holder FROM cluster_leases WHERE duty = ?")) {
      select.setString(1, duty);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
