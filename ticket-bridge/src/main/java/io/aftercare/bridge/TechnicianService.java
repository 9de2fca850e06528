package io.aftercare.bridge;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Technician profiles for dispatch (docs/dispatch.md), as blocking calls for worker threads.
 * Authorization, and the check that the staff account exists, are the caller's job.
 */
public final class TechnicianService {

  private final Tx tx;
  private final Clock clock;

  TechnicianService(Tx tx, Clock clock) {
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Creates or replaces the profile of {@code name}; {@code alsoCommit} runs in the same
   * transaction (e.g. the staff check and the audit entry).
   */
  public Technician put(
      String name, TechnicianProfile profile, String actor, InTransaction alsoCommit) {
    return tx.run(
        c -> {
          Technician saved = Technicians.put(c, name, profile, actor, clock.instant());
          alsoCommit.run(c);
          return saved;
        });
  }

  /**
   * The step that takes {@code name} out of dispatch, for the caller's transaction: the platform
   * runs it when it revokes the staff account, so a revoked account is never dispatched.
   */
  public InTransaction deactivation(String name, String actor) {
    return c -> Technicians.deactivate(c, name, actor, clock.instant());
  }

  public Optional<Technician> find(String name) {
    return tx.run(c -> Technicians.find(c, name));
  }

  /** Technicians skilled for {@code deviceType} and working in {@code region}; null means any. */
  public List<Technician> list(String deviceType, String region) {
    return tx.run(c -> Technicians.list(c, deviceType, region));
  }
}
