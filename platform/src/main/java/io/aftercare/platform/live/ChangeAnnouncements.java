package io.aftercare.platform.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the hub does with each announcement of the V76 triggers: alarm, ticket and command changes
 * go to every stream as they are (ids and states, nothing more: any role may read those, and the
 * console fetches details through the REST API, which checks roles); a staff change or an ended
 * session closes the streams it concerns, so that they reconnect and are authenticated again.
 */
public final class ChangeAnnouncements implements Consumer<String> {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeAnnouncements.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LiveHub hub;

  public ChangeAnnouncements(LiveHub hub) {
    this.hub = hub;
  }

  @Override
  public void accept(String payload) {
    ObjectNode change;
    try {
      JsonNode parsed = JSON.readTree(payload);
      if (!(parsed instanceof ObjectNode object)) {
        LOG.warn("Ignored a live change that is not a JSON object");
        return;
      }
      change = object;
    } catch (JsonProcessingException e) {
      LOG.warn("Ignored a live change that is not JSON: {}", e.getOriginalMessage());
      return;
    }
    String kind = change.path("kind").asText();
    change.remove("kind");
    switch (kind) {
      case "alarm", "ticket", "command" -> hub.broadcast(kind, change.toString());
      case "staff" -> hub.closeStaff(change.path("name").asText());
      case "session_ended" -> hub.closeSession(change.path("session").asLong());
      default -> LOG.warn("Ignored a live change of unknown kind '{}'", kind);
    }
  }
}
