package io.aftercare.bridge;

import java.util.List;
import java.util.Set;

/**
 * A case a customer reported through one of the service channels (docs/tickets.md,
 * "Customer-reported cases"). Invalid values are refused naming the field.
 *
 * @param channel phone, web, app, messaging, service_point or installer
 * @param symptom what the customer describes, at most {@link #MAX_SYMPTOM} characters
 * @param deviceId the device concerned; null when the customer named none
 * @param customerRef a reference into the customer system; null to take the device's
 * @param serviceType repair, installation, maintenance, return_or_exchange or consultation
 * @param diagnosticSessions the device's recent diagnostic sessions, gathered by the platform (the
 *     bridge does not read them); attached to the case's evidence
 */
public record ReportedCase(
    String channel,
    String symptom,
    String deviceId,
    String customerRef,
    String serviceType,
    List<TicketEvidence.DiagnosticSession> diagnosticSessions) {

  public static final int MAX_SYMPTOM = 2000;

  /** The intake channels; complaints come in through the same ones. */
  static final Set<String> CHANNELS =
      Set.of("phone", "web", "app", "messaging", "service_point", "installer");

  static final Set<String> SERVICE_TYPES =
      Set.of("repair", "installation", "maintenance", "return_or_exchange", "consultation");

  public ReportedCase {
    if (channel == null || !CHANNELS.contains(channel)) {
      throw invalid("channel", "must be one of " + CHANNELS);
    }
    if (symptom == null || symptom.isBlank()) {
      throw invalid("symptom", "is required");
    }
    if (symptom.length() > MAX_SYMPTOM) {
      throw invalid("symptom", "must be at most " + MAX_SYMPTOM + " characters");
    }
    if (serviceType == null || !SERVICE_TYPES.contains(serviceType)) {
      throw invalid("serviceType", "must be one of " + SERVICE_TYPES);
    }
    if (deviceId != null && deviceId.isBlank()) {
      throw invalid("deviceId", "must not be blank");
    }
    diagnosticSessions = List.copyOf(diagnosticSessions);
  }

  /** A report as staff entered it, before the platform gathered the device's diagnostics. */
  public ReportedCase(
      String channel, String symptom, String deviceId, String customerRef, String serviceType) {
    this(channel, symptom, deviceId, customerRef, serviceType, List.of());
  }

  /** This report with the device's recent diagnostic sessions. */
  public ReportedCase withDiagnosticSessions(List<TicketEvidence.DiagnosticSession> sessions) {
    return new ReportedCase(channel, symptom, deviceId, customerRef, serviceType, sessions);
  }

  private static BridgeException invalid(String field, String what) {
    return new BridgeException(BridgeException.Kind.INVALID, "'" + field + "' " + what);
  }
}
