package io.aftercare.platform.logs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A device's log bundle as staff read it: the redacted log, or in a list without it.
 *
 * @param redactions how many values of each kind were replaced ({@code email}, {@code ipv4}, …)
 * @param log the redacted log; absent in a list
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogBundle(
    long id,
    String deviceId,
    String commandId,
    Instant collectedAt,
    int lines,
    Map<String, Integer> redactions,
    String log) {}
