package io.aftercare.platform.api;

import io.aftercare.platform.device.DeviceRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** {@code /api/v1/firmware}: which firmware versions the fleet runs, for every role. */
final class FirmwareRoutes {

  private final DeviceRegistry registry;

  FirmwareRoutes(DeviceRegistry registry) {
    this.registry = registry;
  }

  void mount(Router api) {
    api.get("/firmware").handler(this::inventory);
  }

  private void inventory(RoutingContext ctx) {
    registry
        .firmwareInventory(QueryParams.text(ctx, "type"))
        .onSuccess(counts -> ApiJson.send(ctx, 200, Map.of("firmware", counts)))
        .onFailure(ctx::fail);
  }
}
