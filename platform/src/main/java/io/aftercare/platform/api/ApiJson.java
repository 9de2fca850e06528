package io.aftercare.platform.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** JSON in and out of the staff API: records inside, JSON only here at the edge. */
final class ApiJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .setDefaultPropertyInclusion(
              // Null properties left out, as setSerializationInclusion(NON_NULL) did; map values
              // kept as they are.
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.USE_DEFAULTS));

  private ApiJson() {}

  static void send(RoutingContext ctx, int status, Object body) {
    try {
      ctx.response()
          .setStatusCode(status)
          .putHeader("content-type", "application/json")
          .end(Buffer.buffer(MAPPER.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      ctx.fail(e);
    }
  }

  /** Reads the request body as {@code type}; a body that does not fit is a 400 naming why. */
  static <T> T read(RoutingContext ctx, Class<T> type) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw new ServiceException(Failure.INVALID_INPUT, "a JSON body is required");
    }
    try {
      return MAPPER.readValue(body.getBytes(), type);
    } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "unknown field '" + e.getPropertyName() + "'");
    } catch (java.io.IOException e) {
      throw new ServiceException(Failure.INVALID_INPUT, "invalid JSON body");
    }
  }

  static ObjectMapper mapper() {
    return MAPPER;
  }
}
