package io.aftercare.platform.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Reads a {@code jsonb} column fetched as text; a SQL NULL reads as an empty object. */
public final class JsonColumn {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonColumn() {}

  public static JsonNode read(String text) {
    try {
      return text == null ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("stored JSON unreadable", e);
    }
  }
}
