package io.aftercare.domain;

import java.time.Duration;

/**
 * Bounds on what one device document may contain, so that a single message cannot make the platform
 * allocate without limit.
 *
 * @param maxDocumentsPerBatch documents in one telemetry array
 * @param maxMetricsPerDocument metrics in one telemetry document
 * @param maxFutureSkew how far ahead of server time a device clock may be before its timestamps are
 *     refused (far-future points would never be superseded and would skew every query)
 */
public record DocumentLimits(
    int maxDocumentsPerBatch, int maxMetricsPerDocument, Duration maxFutureSkew) {

  public static final DocumentLimits DEFAULT = new DocumentLimits(1000, 256, Duration.ofHours(24));
}
