package io.aftercare.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.yaml} and {@code /api/v1/openapi.json}: the hand-maintained OpenAPI
 * document of this server. Served without a bearer token, since a client reads it to learn how to
 * authenticate.
 */
final class OpenApiRoutes {

  static final String RESOURCE = "/openapi.yaml";

  private final Buffer yaml;
  private final Buffer json;
  private final JsonNode document;

  /** Reads the document once; the JSON form is converted here so each request is a plain write. */
  OpenApiRoutes() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      byte[] bytes = in.readAllBytes();
      yaml = Buffer.buffer(bytes);
      document = new YAMLMapper().readTree(bytes);
      json = Buffer.buffer(new ObjectMapper().writeValueAsBytes(document));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** The parsed document, for {@link DocumentedRoutes}. */
  JsonNode document() {
    return document;
  }

  /** Mounts on the root router, ahead of the bearer-authenticated API. */
  void mount(Router root) {
    root.get("/api/v1/openapi.yaml")
        .handler(ctx -> ctx.response().putHeader("content-type", "application/yaml").end(yaml));
    root.get("/api/v1/openapi.json")
        .handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(json));
  }
}
