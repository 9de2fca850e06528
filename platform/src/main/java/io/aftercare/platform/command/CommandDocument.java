package io.aftercare.platform.command;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The command document a device receives (contract: {@code {commandId, name, params, expiresAt}}),
 * the same over MQTT and CoAP.
 */
public final class CommandDocument {

  private CommandDocument() {}

  public static JsonObject of(Command command) {
    return new JsonObject()
        .put("commandId", command.id())
        .put("name", command.name())
        .put("params", new JsonObject(command.paramsJson()))
        .put("expiresAt", command.expiresAt().toString());
  }

  public static Buffer bytes(Command command) {
    return of(command).toBuffer();
  }
}
