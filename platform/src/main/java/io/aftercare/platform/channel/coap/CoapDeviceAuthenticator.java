package io.aftercare.platform.channel.coap;

import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.core.Future;
import java.security.Principal;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;

/**
 * Decides which device sent a CoAP request, for the device named in its path.
 *
 * <p>Over DTLS the handshake already proved the PSK identity, so it only has to equal the path's
 * device id. Plain CoAP carries the device's token in the {@code token} query parameter, checked
 * like an MQTT password, and is refused (4.03) to a device whose transport is {@code secure_only}.
 */
final class CoapDeviceAuthenticator {

  private final DeviceRegistry registry;

  CoapDeviceAuthenticator(DeviceRegistry registry) {
    this.registry = registry;
  }

  /** Succeeds with the device id; fails with UNAUTHENTICATED or FORBIDDEN. */
  Future<String> authenticate(CoapExchange exchange, String pathDeviceId) {
    Principal peer = exchange.advanced().getRequest().getSourceContext().getPeerIdentity();
    if (peer instanceof PreSharedKeyIdentity psk) {
      return psk.getIdentity().equals(pathDeviceId)
          ? Future.succeededFuture(pathDeviceId)
          : Future.failedFuture(
              new ServiceException(
                  Failure.FORBIDDEN,
                  "DTLS identity '" + psk.getIdentity() + "' may not act for " + pathDeviceId));
    }
    if (peer != null) {
      return Future.failedFuture(
          new ServiceException(Failure.UNAUTHENTICATED, "use a DTLS pre-shared key"));
    }
    String token = exchange.getQueryParameter("token");
    if (token == null || token.isEmpty()) {
      return Future.failedFuture(
          new ServiceException(Failure.UNAUTHENTICATED, "token query parameter missing"));
    }
    // Plain CoAP is never secure: a secure_only device is refused here, before anything is stored.
    return registry.authenticate(pathDeviceId, token, false);
  }
}
