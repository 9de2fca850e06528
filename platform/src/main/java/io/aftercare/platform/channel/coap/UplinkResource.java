package io.aftercare.platform.channel.coap;

import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.ingest.Admission;
import io.aftercare.platform.ingest.Uplink;
import io.aftercare.platform.ingest.UplinkAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /devices/{id}/telemetry}, {@code /events} and {@code /commands/result}: the CoAP door
 * into the one {@code IngestService}, the same one MQTT uses.
 *
 * <p>A request goes through {@link #check} (size, content format), authentication, the device's
 * allowance ({@link #admit}), {@link #read} and {@link #store}; only a commit is answered 2.04
 * Changed. Californium's thread only hands the exchange over to the Vert.x context; the answer is
 * sent from the future's callback ({@code CoapExchange.respond} may be called from any thread).
 */
final class UplinkResource extends CoapResource {

  private static final Logger LOG = LoggerFactory.getLogger(UplinkResource.class);

  /**
   * A confirmable request not answered within this time gets an empty ACK, and its answer follows
   * as a separate response. Below the client's ACK_TIMEOUT (2 s) so it does not retransmit while
   * the write is waiting for the database.
   */
  private static final long ACCEPT_AFTER_MS = 1_000;

  private final CoapGatewayServices services;

  /**
   * @param name the last path segment: {@code telemetry}, {@code events}, or {@code result} (under
   *     {@code commands})
   */
  UplinkResource(String name, CoapGatewayServices services) {
    super(name);
    this.services = services;
    getAttributes().addContentType(MediaTypeRegistry.APPLICATION_JSON);
  }

  @Override
  public void handlePOST(CoapExchange exchange) {
    services.context().runOnContext(v -> onPost(exchange));
  }

  void onPost(CoapExchange exchange) {
    Optional<Response> refused =
        services
            .authenticator()
            .backingOff(exchange.advanced().getRequest())
            .or(() -> check(exchange));
    if (refused.isPresent()) {
      services.metrics().refused(refused.get().getCode());
      exchange.respond(refused.get());
      return;
    }
    Optional<UplinkAddress> address =
        UplinkAddress.parse(exchange.advanced().getRequest().getOptions().getUriPathString());
    if (address.isEmpty()) {
      exchange.respond(ResponseCode.NOT_FOUND);
      return;
    }
    services
        .authenticator()
        .authenticate(exchange.advanced().getRequest(), address.get().deviceId())
        .compose(deviceId -> admit(exchange, deviceId))
        .map(deviceId -> read(exchange, address.get()))
        .compose(uplink -> store(exchange, uplink))
        .onSuccess(
            uplink -> {
              services.presence().reported(uplink.deviceId(), CoapPresence.protocolOf(exchange));
              services.metrics().stored(uplink.weight());
              exchange.respond(ResponseCode.CHANGED);
            })
        .onFailure(error -> refuse(exchange, error));
  }

  /**
   * Refuses what can be refused without reading the body. A missing Content-Format is read as JSON,
   * since small devices often leave it out.
   */
  Optional<Response> check(CoapExchange exchange) {
    if (exchange.getRequestPayloadSize() > services.maxPayloadBytes()) {
      return Optional.of(CoapResponseCodes.tooLarge(services.maxPayloadBytes()));
    }
    int format = exchange.getRequestOptions().getContentFormat();
    if (format != MediaTypeRegistry.UNDEFINED && format != MediaTypeRegistry.APPLICATION_JSON) {
      return Optional.of(CoapResponseCodes.unsupportedFormat(format));
    }
    return Optional.empty();
  }

  /**
   * Checks the authenticated device's allowance before its payload is read. Over it: 4.29 Too Many
   * Requests when the device sends too fast, 5.03 when too much of its data already waits for the
   * database; either with Max-Age saying in how many seconds to retry.
   */
  Future<String> admit(CoapExchange exchange, String deviceId) {
    Admission admission = services.ingest().admit(deviceId, exchange.getRequestPayloadSize());
    if (admission == Admission.ADMITTED) {
      return Future.succeededFuture(deviceId);
    }
    Response response =
        admission == Admission.QUEUE_SHARE_FULL
            ? CoapResponseCodes.overQuota(
                ResponseCode.SERVICE_UNAVAILABLE, admission.reason(), services.retryAfter())
            : CoapResponseCodes.overQuota(
                ResponseCode.TOO_MANY_REQUESTS,
                admission.reason(),
                Duration.ofSeconds(services.ingest().retryAfterSeconds(deviceId)));
    services.metrics().refused(response.getCode());
    exchange.respond(response);
    return Future.failedFuture(new QuotaAnswered());
  }

  /** The request was answered with a quota refusal already. */
  private static final class QuotaAnswered extends RuntimeException {
    QuotaAnswered() {
      super("over quota", null, false, false);
    }
  }

  Uplink read(CoapExchange exchange, UplinkAddress address) {
    return services.ingest().read(address, exchange.getRequestPayload());
  }

  Future<Uplink> store(CoapExchange exchange, Uplink uplink) {
    Vertx vertx = services.context().owner();
    long acceptTimer = vertx.setTimer(ACCEPT_AFTER_MS, id -> exchange.accept());
    return services
        .ingest()
        .store(uplink)
        .map(stored -> uplink)
        .onComplete(done -> vertx.cancelTimer(acceptTimer));
  }

  private void refuse(CoapExchange exchange, Throwable error) {
    if (error instanceof QuotaAnswered) {
      return;
    }
    ServiceException failure = ServiceException.of(error);
    if (failure.failure() == Failure.INTERNAL) {
      // The path only: the query holds the device's token.
      LOG.error(
          "CoAP request to {} failed",
          exchange.advanced().getRequest().getOptions().getUriPathString(),
          error);
    }
    Response response = CoapResponseCodes.refusal(failure, services.retryAfter());
    services.metrics().refused(response.getCode());
    exchange.respond(response);
  }
}
