package io.aftercare.platform.ingest;

import io.aftercare.domain.Telemetry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The telemetry documents of one write batch, one per (device, instant) as the table's key wants
 * them. Two documents of a device with the same timestamp in one batch (a redelivery that arrived
 * before the first copy was acknowledged, or two messages stamped alike) become one when they
 * agree: the metrics of both, none of them with two different values. A message holding a document
 * that gives a metric another value than one already in the batch is not added: storing it would
 * drop that value after acknowledging it. Instants are keyed at the table's precision,
 * microseconds: two documents apart by nanoseconds only made two rows of one key in a COPY and
 * failed the whole batch.
 */
final class DocumentBatch {

  /** A document's key, at the table's precision. */
  record Key(String deviceId, Instant ts) {
    static Key of(String deviceId, Telemetry document) {
      return new Key(deviceId, document.ts().truncatedTo(ChronoUnit.MICROS));
    }
  }

  /** What {@link #add} did with a message. */
  enum Added {
    ADDED,
    /** Not added: two of its own documents give a metric different values for one instant. */
    CONTRADICTS_ITSELF,
    /** Not added: it gives a metric another value than a document already in the batch. */
    CONTRADICTS_BATCH
  }

  private final Map<Key, Map<String, Double>> documents = new LinkedHashMap<>();
  private int offeredPoints;

  void clear() {
    documents.clear();
    offeredPoints = 0;
  }

  /**
   * Adds a message's documents, all or none: adds nothing when one of them contradicts a document
   * of the same key earlier in the message or in the batch.
   */
  Added add(Uplink.TelemetryBatch telemetry) {
    List<Telemetry> incoming = telemetry.documents();
    if (incoming.size() == 1) {
      // The common case, without the message's own map.
      Telemetry document = incoming.get(0);
      Key key = Key.of(telemetry.deviceId(), document);
      Map<String, Double> before = documents.get(key);
      if (before != null && contradicts(before, document.metrics())) {
        return Added.CONTRADICTS_BATCH;
      }
      offeredPoints += document.pointCount();
      documents.put(key, before == null ? document.metrics() : merged(before, document.metrics()));
      return Added.ADDED;
    }
    Map<Key, Map<String, Double>> own = new HashMap<>();
    for (Telemetry document : incoming) {
      Key key = Key.of(telemetry.deviceId(), document);
      Map<String, Double> earlier = own.get(key);
      if (earlier != null && contradicts(earlier, document.metrics())) {
        return Added.CONTRADICTS_ITSELF;
      }
      own.put(key, earlier == null ? document.metrics() : merged(earlier, document.metrics()));
    }
    for (Map.Entry<Key, Map<String, Double>> document : own.entrySet()) {
      Map<String, Double> inBatch = documents.get(document.getKey());
      if (inBatch != null) {
        if (contradicts(inBatch, document.getValue())) {
          return Added.CONTRADICTS_BATCH;
        }
        document.setValue(merged(inBatch, document.getValue()));
      }
    }
    for (Telemetry document : incoming) {
      offeredPoints += document.pointCount();
    }
    // In message order, so that the COPY follows arrival order.
    for (Telemetry document : incoming) {
      Key key = Key.of(telemetry.deviceId(), document);
      documents.put(key, own.get(key));
    }
    return Added.ADDED;
  }

  /** Whether any of the message's documents has one of these keys. */
  static boolean hasAnyKey(Uplink.TelemetryBatch telemetry, Set<Key> keys) {
    for (Telemetry document : telemetry.documents()) {
      if (keys.contains(Key.of(telemetry.deviceId(), document))) {
        return true;
      }
    }
    return false;
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

  private static boolean contradicts(Map<String, Double> first, Map<String, Double> later) {
    for (Map.Entry<String, Double> metric : later.entrySet()) {
      Double stored = first.get(metric.getKey());
      if (stored != null && !stored.equals(metric.getValue())) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, Double> merged(Map<String, Double> first, Map<String, Double> later) {
    Map<String, Double> merged = new HashMap<>(later);
    merged.putAll(first);
    return merged;
  }
}
