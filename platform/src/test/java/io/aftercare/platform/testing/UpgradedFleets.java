package io.aftercare.platform.testing;

/**
 * Builds, in the database, a model's devices upgraded from 1.0 to 1.1 with their alarms at
 * controlled times, as the firmware regression guard reads them: the devices registered 20 days ago
 * on 1.0, their upgrade to 1.1 recorded ten days ago (as a reported firmware change records it),
 * and overheating alarms spread evenly over the ten days on each version.
 */
public final class UpgradedFleets {

  /** A device provisioned through the API whose row the fleet's devices copy. */
  public static final String TEMPLATE = "fleet-template";

  private UpgradedFleets() {}

  /** Provisions the template device; once per platform, before {@link #upgraded}. */
  public static void provisionTemplate(TestPlatform platform) {
    platform.api().provisionDevice(TEMPLATE, "oven");
  }

  /**
   * {@code devices} devices of {@code model}, with {@code before} overheating alarms on 1.0 and
   * {@code after} on 1.1, round-robin over the devices.
   */
  public static void upgraded(
      TestPlatform platform, String model, int devices, int before, int after) {
    String prefix = model.toLowerCase() + "-";
    platform.execute(
        "INSERT INTO devices SELECT (jsonb_populate_record(NULL::devices, to_jsonb(d)"
            + " || jsonb_build_object('id', ? || g, 'token_id', ? || g, 'model', ?,"
            + " 'firmware', '1.1', 'created_at', now() - interval '20 days',"
            // Heard from just now: silent for 20 days, each would raise device_offline on 1.1.
            + " 'last_seen_at', now()))).*"
            + " FROM devices d, generate_series(1, ?) g WHERE d.id = ?",
        prefix,
        "tok-" + prefix,
        model,
        devices,
        TEMPLATE);
    platform.execute(
        "INSERT INTO device_firmware_changes (device_id, previous, firmware, changed_at)"
            + " SELECT id, '1.0', '1.1', now() - interval '10 days' FROM devices WHERE model = ?",
        model);
    alarms(platform, prefix, model, "1.0", before, devices, 20);
    alarms(platform, prefix, model, "1.1", after, devices, 10);
  }

  /** {@code count} alarms, round-robin over the devices, spread over the 10 days from daysAgo. */
  private static void alarms(
      TestPlatform platform,
      String prefix,
      String model,
      String firmware,
      int count,
      int devices,
      int daysAgo) {
    platform.execute(
        "INSERT INTO alarms (device_id, rule_id, severity, status, category, raised_at,"
            + " last_seen_at, count, open_ticket, cleared_at, resolution, model, firmware)"
            + " SELECT ? || (1 + g % ?), 'overheating', 'major', 'cleared', 'temperature', t, t,"
            + " 1, false, t + interval '1 minute', 'condition_cleared', ?, ?"
            + " FROM generate_series(0, ? - 1) g,"
            + " LATERAL (SELECT now() - ? * interval '1 day'"
            + " + (g + 0.5) * interval '10 days' / ? AS t) AS at",
        prefix, devices, model, firmware, count, daysAgo, count);
  }
}
