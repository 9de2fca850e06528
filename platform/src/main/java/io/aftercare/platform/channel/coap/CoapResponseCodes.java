package io.aftercare.platform.channel.coap;

import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import java.time.Duration;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Response;

/**
 * Maps protocol-neutral failures to CoAP responses, once. Every error response carries a plain-text
 * reason (RFC 7252 §5.5.2 diagnostic payload); 5.03 also carries Max-Age, telling the device when
 * to retry.
 */
final class CoapResponseCodes {

  private CoapResponseCodes() {}

  static ResponseCode code(Failure failure) {
    return switch (failure) {
      case INVALID_INPUT -> ResponseCode.BAD_REQUEST;
      case UNAUTHENTICATED -> ResponseCode.UNAUTHORIZED;
      case FORBIDDEN -> ResponseCode.FORBIDDEN;
      case NOT_FOUND -> ResponseCode.NOT_FOUND;
      case CONFLICT -> ResponseCode.CONFLICT;
      case OVERLOADED, STORE_UNAVAILABLE -> ResponseCode.SERVICE_UNAVAILABLE;
      case INTERNAL -> ResponseCode.INTERNAL_SERVER_ERROR;
    };
  }

  /** The response for a request that failed; nothing was stored. */
  static Response refusal(ServiceException failure, Duration retryAfter) {
    Response response = withReason(code(failure.failure()), failure.getMessage());
    if (response.getCode() == ResponseCode.SERVICE_UNAVAILABLE) {
      response.getOptions().setMaxAge(Math.max(1, retryAfter.toSeconds()));
    }
    return response;
  }

  /** A device over its allowance: {@code code} with Max-Age, the seconds until it may retry. */
  static Response overQuota(ResponseCode code, String reason, Duration retryAfter) {
    Response response = withReason(code, reason);
    response.getOptions().setMaxAge(Math.max(1, retryAfter.toSeconds()));
    return response;
  }

  /** 4.13, with the largest accepted body in Size1 as RFC 7959 §4 asks. */
  static Response tooLarge(int maxPayloadBytes) {
    Response response =
        withReason(
            ResponseCode.REQUEST_ENTITY_TOO_LARGE,
            "payload larger than " + maxPayloadBytes + " bytes");
    response.getOptions().setSize1(maxPayloadBytes);
    return response;
  }

  static Response unsupportedFormat(int contentFormat) {
    return withReason(
        ResponseCode.UNSUPPORTED_CONTENT_FORMAT,
        "content format " + contentFormat + " not supported; use 50 (application/json)");
  }

  private static Response withReason(ResponseCode code, String reason) {
    Response response = new Response(code);
    response.setPayload(reason);
    response.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);
    return response;
  }
}
