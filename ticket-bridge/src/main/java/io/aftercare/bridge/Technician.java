package io.aftercare.bridge;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The dispatch profile of a member of staff (docs/dispatch.md).
 *
 * @param name the staff account's name
 * @param skills device types the technician may be dispatched to
 * @param region where the technician works; dispatchers filter by it
 * @param certification the technician's certification; null when none is held
 * @param active false takes the technician out of dispatch without deleting the profile
 */
public record Technician(
    String name,
    List<String> skills,
    String region,
    Certification certification,
    boolean active,
    Instant updatedAt,
    String updatedBy) {

  /**
   * A certification and the last day it is valid (inclusive, UTC).
   *
   * @param name e.g. the certificate's title or number
   */
  public record Certification(String name, LocalDate expiresOn) {}
}
