package io.aftercare.platform.channel.coap;

import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.ingest.UplinkAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;

/**
 * Decides on the first block of a Block1 transfer whether the transfer may start, before
 * Californium buffers anything for it: the sender must not be backing off after failed
 * authentications (4.29), the path must be an uplink (4.04), the token or DTLS identity must be the
 * device's (4.01/4.03), and fewer than {@code coap.maxOpenTransfers} transfers may be open (5.03
 * with Max-Age). Without this a peer with a bad token got 2.31 Continue for every block and held a
 * reassembly buffer until the transfer expired.
 */
final class Block1Gate {

  private final CoapGatewayServices services;
  private final OpenTransfers open;

  Block1Gate(CoapGatewayServices services, OpenTransfers open) {
    this.services = services;
    this.open = open;
  }

  /**
   * Calls {@code admit} when the transfer may start, else {@code refuse} with the answer; either
   * from the Vert.x context.
   */
  void firstBlock(Request request, Runnable admit, Consumer<Response> refuse) {
    services.context().runOnContext(v -> decide(request, admit, refuse));
  }

  /** The last block of a transfer went through: it no longer counts as open. */
  void lastBlock(Request request) {
    open.finish(key(request));
  }

  private void decide(Request request, Runnable admit, Consumer<Response> refuse) {
    Optional<Response> backingOff = services.authenticator().backingOff(request);
    if (backingOff.isPresent()) {
      refused(refuse, backingOff.get());
      return;
    }
    Optional<UplinkAddress> address = UplinkAddress.parse(request.getOptions().getUriPathString());
    if (address.isEmpty()) {
      refused(refuse, new Response(ResponseCode.NOT_FOUND));
      return;
    }
    services
        .authenticator()
        .authenticate(request, address.get().deviceId())
        .onSuccess(
            deviceId -> {
              if (open.start(key(request))) {
                admit.run();
                return;
              }
              Response busy = new Response(ResponseCode.SERVICE_UNAVAILABLE);
              busy.setPayload("too many blockwise transfers in progress");
              busy.getOptions().setMaxAge(seconds(services.retryAfter()));
              refused(refuse, busy);
            })
        .onFailure(
            error ->
                refused(
                    refuse,
                    CoapResponseCodes.refusal(ServiceException.of(error), services.retryAfter())));
  }

  private void refused(Consumer<Response> refuse, Response response) {
    services.metrics().refused(response.getCode());
    refuse.accept(response);
  }

  private static long seconds(Duration duration) {
    return Math.max(1, duration.toSeconds());
  }

  private static String key(Request request) {
    return request.getSourceContext().getPeerAddress()
        + " "
        + request.getOptions().getUriPathString();
  }
}
