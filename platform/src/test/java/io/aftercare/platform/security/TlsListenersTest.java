package io.aftercare.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestHttp;
import io.aftercare.platform.testing.TestPlatform;
import io.aftercare.platform.testing.TlsClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MQTT over TLS and HTTPS with the demo's self-signed certificate, reached by real clients that
 * trust that certificate and nothing else.
 */
class TlsListenersTest {

  private static final String DOCUMENT = "{\"ts\":\"2026-12-07T00:00:00Z\",\"metrics\":{\"t\":1}}";

  private static TestPlatform platform;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start(Map.of("tls.selfSigned", "true"));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theGeneratedKeyIsOwnerOnlyAndTheCertificateIsPublicAndForLocalhost() throws Exception {
    assertThat(
            Files.getPosixFilePermissions(
                platform.certificate().resolveSibling("tls-private-key.pem")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(platform.certificate()))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    try (SSLSocket socket =
        (SSLSocket)
            TlsClients.trusting(platform.certificate())
                .getSocketFactory()
                .createSocket("localhost", platform.platform().mqttTlsPort())) {
      socket.startHandshake();
      assertThat(socket.getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
      assertThat(socket.getSession().getPeerPrincipal().getName()).isEqualTo("CN=localhost");
    }
  }

  @Test
  void theServersOfferOnlyTls12AndNewer() throws Exception {
    for (int port : new int[] {platform.platform().mqttTlsPort(), platform.platform().httpPort()}) {
      assertThat(protocols(port)).containsOnly("TLSv1.2", "TLSv1.3").contains("TLSv1.2");
    }
  }

  /** The protocol versions the server accepts, each tried alone from a client allowing it. */
  private static List<String> protocols(int port) throws Exception {
    List<String> accepted = new ArrayList<>();
    for (String version : new String[] {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}) {
      SSLContext context = TlsClients.trusting(platform.certificate());
      try (SSLSocket socket =
          (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
        socket.setEnabledProtocols(new String[] {version});
        socket.startHandshake();
        accepted.add(socket.getSession().getProtocol());
      } catch (IOException | IllegalArgumentException refused) {
        // Refused by the server, or not offered by this JDK's client (TLS 1.0/1.1 are disabled
        // in java.security): either way not a version this server speaks with anyone.
      }
    }
    return accepted;
  }

  @Test
  void aRestartKeepsTheSameCertificate() throws Exception {
    byte[] before = Files.readAllBytes(platform.certificate());
    platform.restart();
    assertThat(Files.readAllBytes(platform.certificate())).isEqualTo(before);
    assertThat(platform.api().get("/api/v1/devices").status()).isEqualTo(200);
  }

  @Test
  void anMqtt5DevicePublishesOverTlsAndGetsPubackSuccess() throws Exception {
    String token = platform.api().provisionDevice("tls-5", "thermostat");
    MqttConnectionOptions options = PahoDevices.v5Options("tls-5", token);
    options.setSocketFactory(TlsClients.trusting(platform.certificate()).getSocketFactory());
    MqttAsyncClient client =
        new MqttAsyncClient(
            platform.mqttsUri(),
            "tls-5",
            new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    client.connect(options).waitForCompletion(10_000);
    try {
      IMqttToken published =
          client.publish(
              "devices/tls-5/telemetry",
              new MqttMessage(DOCUMENT.getBytes(StandardCharsets.UTF_8), 1, false, null));
      published.waitForCompletion(10_000);
      assertThat(published.getReasonCodes()).containsExactly(0);
    } finally {
      client.disconnect().waitForCompletion(10_000);
      client.close();
    }
    assertThat(platform.count("SELECT count(*) FROM telemetry WHERE device_id = ?", "tls-5"))
        .isEqualTo(1);
  }

  @Test
  void anMqtt311DevicePublishesOverTls() throws Exception {
    String token = platform.api().provisionDevice("tls-3", "thermostat");
    MqttConnectOptions options = PahoDevices.v3Options("tls-3", token);
    options.setSocketFactory(TlsClients.trusting(platform.certificate()).getSocketFactory());
    MqttClient client = new MqttClient(platform.mqttsUri(), "tls-3", new MemoryPersistence());
    client.setTimeToWait(30_000);
    client.connect(options);
    try {
      client.publish(
          "devices/tls-3/telemetry", DOCUMENT.getBytes(StandardCharsets.UTF_8), 1, false);
    } finally {
      client.disconnect();
      client.close();
    }
    assertThat(platform.count("SELECT count(*) FROM telemetry WHERE device_id = ?", "tls-3"))
        .isEqualTo(1);
  }

  @Test
  void anUntrustingClientCannotConnect() {
    assertThatThrownBy(
            () ->
                TestHttp.CLIENT.send(
                    TestHttp.request(URI.create(base() + "/health")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void theApiAndConsoleAnswerOverHttpsOnly() throws Exception {
    assertThat(platform.api().get("/api/v1/devices").status()).isEqualTo(200);
    HttpResponse<String> console =
        TlsClients.https(platform.certificate())
            .send(
                TestHttp.request(URI.create(base() + "/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(console.statusCode()).isEqualTo(200);
    assertThatThrownBy(
            () ->
                TestHttp.CLIENT.send(
                    TestHttp.request(
                            URI.create("http://127.0.0.1:" + platform.platform().httpPort() + "/"))
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void theSessionCookieIsSecureOverHttps() throws Exception {
    HttpResponse<String> signedIn =
        TlsClients.https(platform.certificate())
            .send(
                TestHttp.request(URI.create(base() + "/api/v1/session"))
                    .header("content-type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"token\":\"" + platform.platform().adminToken() + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).isEqualTo(201);
    assertThat(signedIn.headers().allValues("set-cookie"))
        .filteredOn(cookie -> cookie.startsWith("aftercare_session="))
        .singleElement()
        .satisfies(
            cookie -> assertThat(cookie).contains("; Secure").containsIgnoringCase("HttpOnly"));
  }

  private static String base() {
    return "https://localhost:" + platform.platform().httpPort();
  }
}
