package io.aftercare.platform.channel.coap;

import io.aftercare.domain.Identifiers;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code /devices/{id}/...}: the same resources answer for every device id, which the handlers read
 * from the request's path. Ids that break the device id grammar get 4.04 Not Found. Resource
 * discovery ({@code /.well-known/core}) shows the template {@code /devices/{id}/...}.
 */
final class DevicesResource extends CoapResource {

  private final CoapResource anyDevice = new CoapResource("{id}");

  DevicesResource(CoapResource... perDevice) {
    super("devices");
    for (CoapResource resource : perDevice) {
      anyDevice.add(resource);
    }
    add(anyDevice);
  }

  @Override
  public Resource getChild(String name) {
    return Identifiers.isDeviceId(name) ? anyDevice : null;
  }
}
