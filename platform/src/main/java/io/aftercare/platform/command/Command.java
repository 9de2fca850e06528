package io.aftercare.platform.command;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/**
 * A command as stored: what was asked, by whom, and when it reached each state.
 *
 * @param late a result that arrived after the command had ended, or {@code null}
 * @param approvalDueAt for a command that needs a second approver: when it expires unless decided
 * @param decidedBy who approved or rejected it ({@code decidedAt}: when), or {@code null}
 */
public record Command(
    @JsonProperty("commandId") String id,
    String deviceId,
    String name,
    @JsonProperty("params") @JsonRawValue String paramsJson,
    Risk risk,
    CommandStatus status,
    String requestedBy,
    Instant createdAt,
    Instant expiresAt,
    long deliveryTimeoutSeconds,
    Instant sentAt,
    Instant acceptedAt,
    Instant completedAt,
    Instant timedOutAt,
    Instant expiredAt,
    @JsonProperty("output") @JsonRawValue String outputJson,
    LateResult late,
    Instant approvalDueAt,
    String decidedBy,
    Instant decidedAt) {

  /** A device's result that came after the command had already ended. */
  public record LateResult(
      String status, @JsonProperty("output") @JsonRawValue String outputJson, Instant at) {}

  /** This command with other parameters (e.g. masked for staff). */
  public Command withParamsJson(String params) {
    return new Command(
        id,
        deviceId,
        name,
        params,
        risk,
        status,
        requestedBy,
        createdAt,
        expiresAt,
        deliveryTimeoutSeconds,
        sentAt,
        acceptedAt,
        completedAt,
        timedOutAt,
        expiredAt,
        outputJson,
        late,
        approvalDueAt,
        decidedBy,
        decidedAt);
  }
}
