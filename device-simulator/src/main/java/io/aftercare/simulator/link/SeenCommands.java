package io.aftercare.simulator.link;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The command ids a device has already received. A queued command appears in every CoAP
 * notification until the platform has marked it sent, and MQTT may redeliver after a reconnect: a
 * real device acts on each command once, recognising repeats by commandId.
 */
final class SeenCommands {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REMEMBERED = 256;

  private final Set<String> seen = new LinkedHashSet<>();

  synchronized boolean firstTime(byte[] command) {
    String id;
    try {
      id = JSON.readTree(command).path("commandId").asText("");
    } catch (IOException e) {
      return true;
    }
    if (!seen.add(id)) {
      return false;
    }
    if (seen.size() > REMEMBERED) {
      seen.remove(seen.iterator().next());
    }
    return true;
  }
}
