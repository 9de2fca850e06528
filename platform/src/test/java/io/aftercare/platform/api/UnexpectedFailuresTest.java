package io.aftercare.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.TestHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The other half of promise 10: a bug in a handler, thrown or in a failed future, is still
 * answered, as a 500 problem that does not leak the exception's message; only input errors are 4xx.
 * A router wired like the API's (same failure handler) over real HTTP.
 */
class UnexpectedFailuresTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Vertx vertx;
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router
        .get("/thrown")
        .handler(
            ctx -> {
              throw new IllegalStateException("secret detail of a bug");
            });
    router
        .get("/failed-future")
        .handler(
            ctx ->
                Future.<String>failedFuture(new NullPointerException("secret detail of a bug"))
                    .onSuccess(ctx::end)
                    .onFailure(ctx::fail));
    router.route().failureHandler(Problems::handle);
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void aThrownBugIsAnswered500WithoutItsMessage() throws Exception {
    assertInternalProblem(get("/thrown"));
  }

  @Test
  void aFailedFutureIsAnswered500WithoutItsMessage() throws Exception {
    assertInternalProblem(get("/failed-future"));
  }

  private static void assertInternalProblem(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.path("title").asText()).isEqualTo("Internal Server Error");
    assertThat(response.body()).doesNotContain("secret detail");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return TestHttp.CLIENT.send(
        TestHttp.request(URI.create("http://127.0.0.1:" + server.actualPort() + path))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
