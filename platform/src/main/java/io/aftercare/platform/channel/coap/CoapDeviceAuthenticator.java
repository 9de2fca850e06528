package io.aftercare.platform.channel.coap;

import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.security.FailedAuthentication;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.coap.UriQueryParameter;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;

/**
 * Decides which device sent a CoAP request, for the device named in its path.
 *
 * <p>Over DTLS the handshake already proved the PSK identity, so it only has to equal the path's
 * device id. Plain CoAP carries the device's token in the {@code token} query parameter, checked
 * like an MQTT password, and is refused (4.03) to a device whose transport is {@code secure_only}.
 * A missing or wrong token counts against the sender's address, and an address backing off after
 * too many is answered 4.29 with Max-Age before its token is looked at ({@link
 * FailedAuthentication}).
 */
final class CoapDeviceAuthenticator {

  private final DeviceRegistry registry;
  private final FailedAuthentication failures;

  CoapDeviceAuthenticator(DeviceRegistry registry, FailedAuthentication failures) {
    this.registry = registry;
    this.failures = failures;
  }

  /**
   * 4.29 Too Many Requests, if the sender's address is backing off after failed authentications.
   */
  Optional<Response> backingOff(Request request) {
    Optional<Duration> wait =
        failures.refusal(FailedAuthentication.Channel.COAP, sourceAddress(request));
    return wait.map(
        left -> {
          long seconds = FailedAuthentication.seconds(left);
          Response response = new Response(ResponseCode.TOO_MANY_REQUESTS);
          response.setPayload(
              "too many failed authentications from this address: retry in " + seconds + " s");
          response.getOptions().setMaxAge(seconds);
          return response;
        });
  }

  /** Succeeds with the device id; fails with UNAUTHENTICATED or FORBIDDEN. */
  Future<String> authenticate(Request request, String pathDeviceId) {
    Principal peer = request.getSourceContext().getPeerIdentity();
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
    String token = tokenParameter(request);
    if (token == null || token.isEmpty()) {
      return failed(
          request, new ServiceException(Failure.UNAUTHENTICATED, "token query parameter missing"));
    }
    return registry
        // Plain CoAP is never secure: a secure_only device is refused here, before anything is
        // stored.
        .authenticate(pathDeviceId, token, false)
        .recover(
            error ->
                ServiceException.of(error).failure() == Failure.UNAUTHENTICATED
                    ? failed(request, error)
                    : Future.failedFuture(error));
  }

  private Future<String> failed(Request request, Throwable error) {
    failures.failed(FailedAuthentication.Channel.COAP, sourceAddress(request));
    return Future.failedFuture(error);
  }

  private static String tokenParameter(Request request) {
    UriQueryParameter query = request.getOptions().getUriQueryParameter();
    return query.hasParameter("token") ? query.getArgument("token", "") : null;
  }

  static String sourceAddress(Request request) {
    InetSocketAddress peer = request.getSourceContext().getPeerAddress();
    return peer == null || peer.getAddress() == null ? null : peer.getAddress().getHostAddress();
  }
}
