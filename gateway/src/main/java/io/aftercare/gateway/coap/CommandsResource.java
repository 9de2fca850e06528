package io.aftercare.gateway.coap;

import io.aftercare.gateway.error.ServiceException;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code GET /devices/{id}/commands}, observable: a device observes it to be told about commands.
 * One instance serves every device; the device is the one in the request's path, authenticated like
 * an uplink. A refused GET answers an error, which also ends the observe relation Californium had
 * started.
 *
 * <p>The command service does not exist yet (issue 4), so the pending commands are always the empty
 * list. {@link CoapCommandChannel} tracks the observers for it.
 */
final class CommandsResource extends CoapResource {

  private static final String NO_COMMANDS = "[]";

  private final CoapGatewayServices services;

  CommandsResource(CoapGatewayServices services) {
    super("commands");
    this.services = services;
    setObservable(true);
    // Confirmable notifications: a device that stopped listening is noticed and its relation ends.
    setObserveType(Type.CON);
    getAttributes().setObservable();
    getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
  }

  @Override
  public void handleGET(CoapExchange exchange) {
    services.context().runOnContext(v -> onGet(exchange));
  }

  private void onGet(CoapExchange exchange) {
    String deviceId = exchange.getRequestOptions().getUriPath().get(1);
    services
        .authenticator()
        .authenticate(exchange, deviceId)
        .onSuccess(
            id ->
                exchange.respond(
                    ResponseCode.CONTENT, NO_COMMANDS, MediaTypeRegistry.APPLICATION_JSON))
        .onFailure(
            error ->
                exchange.respond(
                    CoapResponseCodes.refusal(ServiceException.of(error), services.retryAfter())));
  }
}
