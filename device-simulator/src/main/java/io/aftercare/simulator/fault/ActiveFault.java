package io.aftercare.simulator.fault;

import java.time.Instant;
import java.util.Optional;

/**
 * A fault that is affecting a device right now.
 *
 * @param curedBy the catalog command that cures it, if a remote fix exists in the scenario
 */
public record ActiveFault(FaultKind kind, Instant since, Optional<String> curedBy) {}
