package io.aftercare.simulator.command;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/** A command document as the platform sends it on {@code devices/{id}/commands}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Command(String commandId, String name, Map<String, Object> params, String expiresAt) {

  public Command {
    params = params == null ? Map.of() : Map.copyOf(params);
  }
}
