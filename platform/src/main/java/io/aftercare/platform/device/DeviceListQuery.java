package io.aftercare.platform.device;

import java.time.Instant;

/**
 * One page of the fleet list: the filters (each {@code null} when not asked for; {@code now} is the
 * time the health score is computed at), the sort, where the page starts (after the row with {@code
 * afterKey}/{@code afterId}, or the start when {@code afterId} is {@code null}) and how many rows.
 */
public record DeviceListQuery(
    String idPrefix,
    String type,
    String model,
    String firmware,
    Boolean online,
    Boolean hasOpenAlarm,
    Integer healthBelow,
    Instant now,
    String homeId,
    String customerRef,
    String region,
    Sort sort,
    String afterKey,
    String afterId,
    int limit) {

  /** The orders the list offers, each ascending and backed by an index on (key, id). */
  public enum Sort {
    ID("id", "id"),
    TYPE("type", "type"),
    MODEL("model", "coalesce(model, '')"),
    FIRMWARE("firmware", "coalesce(firmware, '')");

    private final String parameter;
    private final String key;

    Sort(String parameter, String key) {
      this.parameter = parameter;
      this.key = key;
    }

    /** The name in the {@code sort} query parameter. */
    public String parameter() {
      return parameter;
    }

    /** The SQL expression rows are ordered by before their id; null sorts as the empty string. */
    String key() {
      return key;
    }
  }
}
