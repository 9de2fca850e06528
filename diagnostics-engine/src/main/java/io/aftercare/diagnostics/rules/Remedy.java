package io.aftercare.diagnostics.rules;

import java.util.Map;

/**
 * A remote command worth trying before a ticket is opened (remote-fix-first). The engine only
 * carries remedies to the caller; sending them and verifying the effect is the command service's
 * job.
 */
public record Remedy(String command, Map<String, Object> params) {

  public Remedy {
    params = Map.copyOf(params);
  }
}
