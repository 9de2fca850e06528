package io.aftercare.platform.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
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
          // After JavaTimeModule, so that its readers of Instant, OffsetDateTime and LocalDate are
          // the bounded ones.
          .registerModule(TimeBounds.module())
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

  /**
   * Reads the request body as {@code type}; a body that does not fit is a 400 naming why. Every
   * request body of the API is a JSON object, so {@code null}, arrays, strings and numbers are
   * refused here, as is a NUL character anywhere in it (PostgreSQL cannot store one in text).
   */
  static <T> T read(RoutingContext ctx, Class<T> type) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw new ServiceException(Failure.INVALID_INPUT, "a JSON body is required");
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(body.getBytes());
    } catch (java.io.IOException e) {
      throw new ServiceException(Failure.INVALID_INPUT, "invalid JSON body");
    }
    if (tree == null || !tree.isObject()) {
      throw new ServiceException(Failure.INVALID_INPUT, "the body must be a JSON object");
    }
    NulCharacters.refuseIn(tree);
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "unknown field '" + e.getPropertyName() + "'");
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof ServiceException refused) {
        throw refused;
      }
      throw new ServiceException(Failure.INVALID_INPUT, invalidField(e));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new ServiceException(Failure.INVALID_INPUT, "invalid JSON body");
    }
  }

  /** Names the field a value did not fit, e.g. {@code 'window.from' has the wrong type}. */
  private static String invalidField(JsonMappingException e) {
    StringBuilder field = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        field.append(field.isEmpty() ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        field.append('[').append(reference.getIndex()).append(']');
      }
    }
    return field.isEmpty()
        ? "invalid JSON body"
        : "field '" + field + "' has the wrong type or an invalid value";
  }

  static ObjectMapper mapper() {
    return MAPPER;
  }
}
