package io.aftercare.platform.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestHttp;
import io.aftercare.platform.testing.TestPlatform;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's files as the platform serves them: at {@code /}, with uPlot, strictly fenced. */
class ConsoleFilesTest {

  private static TestPlatform platform;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + platform.platform().httpPort() + path);
    return TestHttp.CLIENT.send(
        TestHttp.request(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theRootIsTheConsoleWithAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<String> index = get("/");

    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(index.body()).contains("<script type=\"module\" src=\"/app.js\"></script>");
    String policy = index.headers().firstValue("content-security-policy").orElseThrow();
    assertThat(policy)
        .contains("script-src 'self'", "frame-ancestors 'none'", "default-src 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
    assertThat(index.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
  }

  @Test
  void modulesAreJavaScriptAndUplotComesFromItsWebJar() throws Exception {
    HttpResponse<String> app = get("/app.js");
    assertThat(app.statusCode()).isEqualTo(200);
    assertThat(app.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).contains("javascript"));

    HttpResponse<String> uplot = get("/vendor/uplot/uPlot.esm.js");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.body()).contains("export { uPlot as default }");
    assertThat(uplot.headers().firstValue("cache-control"))
        .hasValueSatisfying(value -> assertThat(value).contains("max-age=86400"));
    assertThat(get("/vendor/uplot/uPlot.min.css").statusCode()).isEqualTo(200);
  }

  @Test
  void theApiKeepsItsOwnAnswersBesideTheConsole() throws Exception {
    ApiClient.Response unknownApi = platform.api().get("/api/v1/no-such-thing");
    assertThat(unknownApi.status()).isEqualTo(404);
    assertThat(unknownApi.contentType()).startsWith("application/problem+json");
    assertThat(get("/api/v1/devices").statusCode()).isEqualTo(401);

    assertThat(get("/no-such-file.js").statusCode()).isEqualTo(404);
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }
}
