package io.aftercare.platform.ingest;

import io.aftercare.domain.Telemetry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The telemetry documents of one write batch, one per (device, instant) as the table's key wants
 * them. Two documents of a device with the same timestamp in one batch (a redelivery that arrived
 * before the first copy was acknowledged, or two messages stamped alike) become one, each metric
 * keeping its first value, which is what the table does with a document stored before. Instants are
 * keyed at the table's precision, microseconds: two documents apart by nanoseconds only made two
 * rows of one key in a COPY and failed the whole batch.
 */
final class DocumentBatch {

  private record Key(String deviceId, Instant ts) {}

  private final Map<Key, Map<String, Double>> documents = new LinkedHashMap<>();
  private int offeredPoints;

  void clear() {
    documents.clear();
    offeredPoints = 0;
  }

  void add(Uplink.TelemetryBatch telemetry) {
    for (Telemetry document : telemetry.documents()) {
      offeredPoints += document.pointCount();
      documents.merge(
          // The table keeps microseconds: instants apart by less are one row there, so here too.
          new Key(telemetry.deviceId(), document.ts().truncatedTo(ChronoUnit.MICROS)),
          document.metrics(),
          DocumentBatch::keepFirst);
    }
  }

  boolean isEmpty() {
    return documents.isEmpty();
  }

  /** Points offered, before same-instant documents were merged. */
  int offeredPoints() {
    return offeredPoints;
  }

  /** Encodes the documents for COPY, after {@code rows.clear()}. */
  void encodeInto(BinaryCopyDocuments rows) {
    documents.forEach((key, metrics) -> rows.add(key.deviceId(), key.ts(), metrics));
  }

  private static Map<String, Double> keepFirst(
      Map<String, Double> first, Map<String, Double> later) {
    Map<String, Double> merged = new HashMap<>(later);
    merged.putAll(first);
    return merged;
  }
}
