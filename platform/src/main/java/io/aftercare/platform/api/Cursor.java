package io.aftercare.platform.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * The opaque page token of every list: the sort and the sort key and id of the last row served, so
 * the next page starts strictly after that row (keyset paging: rows inserted meanwhile neither
 * repeat nor shift a page). Base64url of a small JSON array, so clients treat it as a string and we
 * may change its content.
 */
final class Cursor {

  /** Where the next page starts: after the row with this sort key and id. */
  record Position(String key, String id) {}

  private Cursor() {}

  static String encode(String sort, String key, String id) {
    byte[] json;
    try {
      json = ApiJson.mapper().writeValueAsBytes(List.of(sort, key == null ? "" : key, id));
    } catch (JacksonException e) {
      throw new IllegalStateException("a list of strings always serialises", e);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
  }

  /**
   * The {@code cursor} query parameter, or {@code null} when absent; a 400 naming it when it is not
   * a token this API issued for the same sort.
   */
  static Position decode(RoutingContext ctx, String sort) {
    String token = QueryParams.text(ctx, "cursor");
    if (token == null) {
      return null;
    }
    try {
      JsonNode parts = ApiJson.mapper().readTree(Base64.getUrlDecoder().decode(token));
      if (parts != null
          && parts.isArray()
          && parts.size() == 3
          && parts.get(0).isTextual()
          && parts.get(1).isTextual()
          && parts.get(2).isTextual()
          && parts.get(0).asText().equals(sort)
          // A token is base64 to clients but not to an attacker, who can put a NUL in it.
          && !NulCharacters.in(parts.get(1).asText())
          && !NulCharacters.in(parts.get(2).asText())) {
        return new Position(parts.get(1).asText(), parts.get(2).asText());
      }
    } catch (IllegalArgumentException | IOException e) {
      // Not base64 or not JSON: the same answer as a token for another sort.
    }
    throw new ServiceException(
        Failure.INVALID_INPUT,
        "query parameter 'cursor' must be the nextCursor of a previous page with sort=" + sort);
  }

  /** The id of a position in a list ordered by a numeric id; a 400 naming the cursor otherwise. */
  static long numericId(Position position) {
    try {
      return Long.parseLong(position.id());
    } catch (NumberFormatException e) {
      throw new ServiceException(
          Failure.INVALID_INPUT, "query parameter 'cursor' is not a cursor of this list");
    }
  }
}
