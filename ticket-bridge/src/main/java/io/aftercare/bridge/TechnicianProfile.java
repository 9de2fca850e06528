package io.aftercare.bridge;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What staff write about a technician (docs/dispatch.md). Invalid values are refused naming the
 * field.
 *
 * @param skills device types, at least one
 * @param region null for none
 * @param certification null for none; otherwise both its name and its expiry date
 * @param active null for true
 */
public record TechnicianProfile(
    List<String> skills, String region, Technician.Certification certification, Boolean active) {

  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_SKILLS = 50;
  private static final int MAX_TEXT = 200;

  public TechnicianProfile {
    if (skills == null || skills.isEmpty() || skills.size() > MAX_SKILLS) {
      throw invalid("skills", "must list 1 to " + MAX_SKILLS + " device types");
    }
    for (String skill : skills) {
      if (skill == null || !WORD.matcher(skill).matches()) {
        throw invalid("skills", "must be device types matching " + WORD.pattern());
      }
    }
    skills = List.copyOf(skills);
    if (region != null && (region.isBlank() || region.length() > MAX_TEXT)) {
      throw invalid("region", "must be 1 to " + MAX_TEXT + " characters");
    }
    if (certification != null) {
      if (certification.name() == null
          || certification.name().isBlank()
          || certification.name().length() > MAX_TEXT) {
        throw invalid("certification.name", "must be 1 to " + MAX_TEXT + " characters");
      }
      if (certification.expiresOn() == null) {
        throw invalid("certification.expiresOn", "is required (a date such as 2027-06-30)");
      }
    }
    if (active == null) {
      active = true;
    }
  }

  private static BridgeException invalid(String field, String what) {
    return new BridgeException(BridgeException.Kind.INVALID, "'" + field + "' " + what);
  }
}
