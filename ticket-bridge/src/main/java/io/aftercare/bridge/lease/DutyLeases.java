package io.aftercare.bridge.lease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases on cluster-wide duties, so that each runs on one node at a time and moves to another when
 * its node is lost. A lease is a row of {@code cluster_leases}: its holder and when it expires, in
 * the database's time, so that the nodes' clocks do not matter. The holder renews all its leases in
 * one statement three times per term; a node takes a lease that is free, its own (after a restart
 * under the same name) or expired. A node lost without a word (killed, cut off) holds its leases
 * until they expire: another node has them at most one term plus one renewal interval later.
 *
 * <p>{@link Lease#held} is a memory read, so a duty's round costs nothing when the node is not the
 * holder. The node trusts a lease for one term from the moment it sent the renewal, which is before
 * the database set the expiry: it stops running the duty before any other node can take it, unless
 * its clock runs a third faster than the database's. A round already running when the lease goes is
 * not stopped; the duties' row locks and once-only columns keep such an overlap harmless.
 *
 * <p>The platform and the ticket bridge share one instance per node, so this class knows only duty
 * names, never what the duties do.
 */
public final class DutyLeases implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DutyLeases.class);

  private static final String HOLD =
      "INSERT INTO cluster_leases AS l (duty, holder, expires_at)"
          + " SELECT d, ?, now() + ? * INTERVAL '1 millisecond'"
          + " FROM unnest(?::text[]) AS d ORDER BY d"
          + " ON CONFLICT (duty) DO UPDATE SET holder = excluded.holder,"
          + "   expires_at = excluded.expires_at,"
          + "   acquired_at = CASE WHEN l.holder = excluded.holder THEN l.acquired_at ELSE now() END"
          + " WHERE l.holder = excluded.holder OR l.expires_at < now()"
          + " RETURNING duty";

  private final DataSource dataSource;
  private final String holder;
  private final Duration term;
  private final Set<String> duties = ConcurrentHashMap.newKeySet();

  /** Duty to the {@link System#nanoTime} until which this node trusts its lease. */
  private final Map<String, Long> heldUntil = new ConcurrentHashMap<>();

  private ScheduledExecutorService renewer;

  /**
   * @param holder this node's name, the same across its restarts
   * @param term how long a lease lasts without renewal: the cluster's node time-out
   */
  public DutyLeases(DataSource dataSource, String holder, Duration term) {
    this.dataSource = dataSource;
    this.holder = holder;
    this.term = term;
  }

  /** A duty's lease, as seen by this node. */
  public final class Lease {

    private final String duty;

    private Lease(String duty) {
      this.duty = duty;
    }

    /** Whether this node may run the duty now. */
    public boolean held() {
      Long until = heldUntil.get(duty);
      return until != null && System.nanoTime() - until < 0;
    }
  }

  /**
   * The lease on {@code duty}, which this node tries to take at once and then at every renewal: a
   * node alone takes it before this returns, so the duty's first round runs without waiting.
   */
  public Lease lease(String duty) {
    duties.add(duty);
    renew(List.of(duty));
    return new Lease(duty);
  }

  /** Starts renewing, three times per term, on a thread of its own. */
  public synchronized void start() {
    if (renewer != null) {
      return;
    }
    renewer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "duty-leases");
              thread.setDaemon(true);
              return thread;
            });
    long every = Math.max(1, term.toMillis() / 3);
    renewer.scheduleWithFixedDelay(
        () -> renew(List.copyOf(duties)), every, every, TimeUnit.MILLISECONDS);
  }

  public String holder() {
    return holder;
  }

  /** Takes or keeps what it can of {@code wanted}; on a database failure keeps what it trusted. */
  private void renew(List<String> wanted) {
    if (wanted.isEmpty()) {
      return;
    }
    long sent = System.nanoTime();
    Set<String> held;
    try (Connection c = dataSource.getConnection();
        PreparedStatement hold = c.prepareStatement(HOLD)) {
      hold.setString(1, holder);
      hold.setLong(2, term.toMillis());
      hold.setArray(3, c.createArrayOf("text", wanted.toArray()));
      held = new HashSet<>();
      try (ResultSet rs = hold.executeQuery()) {
        while (rs.next()) {
          held.add(rs.getString(1));
        }
      }
    } catch (SQLException | RuntimeException e) {
      // The leases this node has stay trusted until their term ends, then lapse by themselves.
      LOG.warn("Could not renew the duty leases of {}: {}", holder, e.toString());
      return;
    }
    long until = sent + term.toNanos();
    for (String duty : wanted) {
      boolean had = heldUntil.containsKey(duty);
      if (held.contains(duty)) {
        heldUntil.put(duty, until);
        if (!had) {
          LOG.info("Node {} runs the cluster-wide duty {}", holder, duty);
        }
      } else if (heldUntil.remove(duty) != null) {
        LOG.warn("Node {} lost the lease on {} to another node", holder, duty);
      }
    }
  }

  /**
   * Stops renewing and gives the leases up, so that another node takes them at its next renewal
   * instead of waiting for them to expire. Call it after the duties have stopped.
   */
  @Override
  public synchronized void close() {
    if (renewer != null) {
      renewer.shutdownNow();
      try {
        renewer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    heldUntil.clear();
    try (Connection c = dataSource.getConnection();
        PreparedStatement release =
            c.prepareStatement("DELETE FROM cluster_leases WHERE holder = ?")) {
      release.setString(1, holder);
      release.executeUpdate();
    } catch (SQLException e) {
      LOG.warn("Could not give up the duty leases of {}; they expire by themselves", holder, e);
    }
  }
}
