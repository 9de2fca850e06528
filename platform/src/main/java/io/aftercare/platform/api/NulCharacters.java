package io.aftercare.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import java.util.Map;

/**
 * Refuses the NUL character (U+0000) in what a client sends: PostgreSQL cannot store it in text, so
 * letting it through turns a typo or a probe into a database error (a 500). Checked once at the
 * edge, for path segments, query values and every string and name of a JSON body.
 */
final class NulCharacters {

  private static final char NUL = '\u0000';

  private NulCharacters() {}

  static boolean in(String text) {
    return text != null && text.indexOf(NUL) >= 0;
  }

  /** A 400 naming {@code label}, e.g. {@code query parameter 'to'}. */
  static ServiceException refused(String label) {
    return new ServiceException(
        Failure.INVALID_INPUT, label + " must not contain a NUL character (U+0000)");
  }

  /** Throws the 400 for the first field of the body, at any depth, that holds a NUL. */
  static void refuseIn(JsonNode body) {
    refuseIn(body, "");
  }

  private static void refuseIn(JsonNode node, String path) {
    if (node.isTextual() && in(node.textValue())) {
      throw refused(path.isEmpty() ? "the body" : "field '" + path + "'");
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (in(field.getKey())) {
          throw refused("a field name" + (path.isEmpty() ? "" : " in '" + path + "'"));
        }
        refuseIn(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        refuseIn(node.get(i), path + "[" + i + "]");
      }
    }
  }
}
