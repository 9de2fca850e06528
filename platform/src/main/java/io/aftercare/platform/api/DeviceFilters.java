package io.aftercare.platform.api;

import io.aftercare.platform.device.DeviceListQuery;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The fleet list's filters, read the same way wherever they come from: the query of {@code GET
 * /devices}, or the {@code filter} object of a bulk command.
 */
final class DeviceFilters {

  /** The filter names, as {@code GET /devices} takes them. */
  static final List<String> NAMES =
      List.of(
          "idPrefix",
          "type",
          "model",
          "firmware",
          "home",
          "customer",
          "online",
          "hasOpenAlarm",
          "healthBelow");

  private DeviceFilters() {}

  /**
   * A query with the filters {@code value} gives (null or empty for one not given), in the given
   * order and position; {@code label} names a filter in error messages.
   */
  static DeviceListQuery query(
      Function<String, String> value,
      Function<String, String> label,
      DeviceListQuery.Sort sort,
      String afterKey,
      String afterId,
      int limit) {
    // 0 would match no device; it stands for "no health filter".
    int healthBelow =
        QueryParams.integer(label.apply("healthBelow"), value.apply("healthBelow"), 0, 0, 101);
    return new DeviceListQuery(
        value.apply("idPrefix"),
        value.apply("type"),
        value.apply("model"),
        value.apply("firmware"),
        QueryParams.bool(label.apply("online"), value.apply("online")),
        QueryParams.bool(label.apply("hasOpenAlarm"), value.apply("hasOpenAlarm")),
        healthBelow == 0 ? null : healthBelow,
        Instant.now(),
        value.apply("home"),
        value.apply("customer"),
        sort,
        afterKey,
        afterId,
        limit);
  }
}
