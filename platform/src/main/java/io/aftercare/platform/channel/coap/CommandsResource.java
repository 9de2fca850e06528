package io.aftercare.platform.channel.coap;

import io.aftercare.platform.command.Command;
import io.aftercare.platform.command.CommandDocument;
import io.aftercare.platform.error.ServiceException;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Optional;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /devices/{id}/commands}, observable: a device observes it to receive its commands. One
 * instance serves every device; the device is the one in the request's path, authenticated like an
 * uplink. A refused GET answers an error, which also ends the observe relation Californium had
 * started.
 *
 * <p>Each answer is the JSON array of the device's queued command documents, oldest first. Commands
 * in it become {@code sent} once the device has them: when it acknowledges a confirmable
 * notification, or when the piggybacked answer to its GET goes out (a lost answer makes the device
 * retransmit the GET, which Californium answers again from its cache).
 */
final class CommandsResource extends CoapResource {

  private static final Logger LOG = LoggerFactory.getLogger(CommandsResource.class);
  private final CoapGatewayServices services;

  CommandsResource(CoapGatewayServices services) {
    super("commands");
    this.services = services;
    setObservable(true);
    // Confirmable notifications: a device that stopped listening is noticed and its relation
    // ends, and an acknowledged notification proves delivery.
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
    Optional<Response> backingOff =
        services.authenticator().backingOff(exchange.advanced().getRequest());
    if (backingOff.isPresent()) {
      exchange.respond(backingOff.get());
      return;
    }
    services
        .authenticator()
        .authenticate(exchange.advanced().getRequest(), deviceId)
        .compose(id -> services.commands().pending(id))
        .onSuccess(
            commands -> exchange.respond(answer(commands, CoapPresence.protocolOf(exchange))))
        .onFailure(
            error ->
                exchange.respond(
                    CoapResponseCodes.refusal(ServiceException.of(error), services.retryAfter())));
  }

  /**
   * @param protocol {@code coap} or {@code coaps}, as the command history names the delivery
   */
  private Response answer(List<Command> commands, String protocol) {
    JsonArray documents = new JsonArray();
    commands.forEach(command -> documents.add(CommandDocument.of(command)));
    Response response = new Response(ResponseCode.CONTENT);
    response.setPayload(documents.encode());
    response.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
    if (!commands.isEmpty()) {
      response.addMessageObserver(new DeliveryObserver(response, commands, protocol));
    }
    return response;
  }

  /** Marks the answer's commands sent once the device has them. */
  private final class DeliveryObserver extends MessageObserverAdapter {
    private final Response response;
    private final List<Command> commands;
    private final String protocol;
    private boolean marked;

    DeliveryObserver(Response response, List<Command> commands, String protocol) {
      this.response = response;
      this.commands = commands;
      this.protocol = protocol;
    }

    @Override
    public void onAcknowledgement() {
      markSent();
    }

    @Override
    public void onSent(boolean retransmission) {
      if (response.getType() == Type.ACK || response.getType() == Type.NON) {
        markSent();
      }
    }

    private void markSent() {
      synchronized (this) {
        if (marked) {
          return;
        }
        marked = true;
      }
      services
          .context()
          .runOnContext(
              v ->
                  commands.forEach(
                      command ->
                          services
                              .commands()
                              .markSent(command.id(), protocol)
                              .onFailure(
                                  e ->
                                      LOG.warn(
                                          "Could not mark {} sent: {}",
                                          command.id(),
                                          e.getMessage()))));
    }
  }
}
