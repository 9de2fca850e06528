package io.aftercare.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.FromAddress;
import io.aftercare.platform.testing.FromAddress.HttpAnswer;
import io.aftercare.platform.testing.PahoDevices;
import io.aftercare.platform.testing.TestPlatform;
import java.time.Duration;
import java.util.Map;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Failed authentication on every door, over real sockets: counted, reported once per source and
 * interval in the audit log (never the credential), and throttled per source address. Each test
 * attacks from its own loopback address (127.0.0.x), so the others' back-off does not leak into it;
 * the one-minute back-off outlasts every test, so nothing here depends on timing.
 */
class FailedAuthenticationTest {

  private static final int FREE_FAILURES = 3;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestPlatform platform;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    platform =
        TestPlatform.start(
            Map.of(
                "security.failedAuth.freeFailures", Integer.toString(FREE_FAILURES),
                "security.failedAuth.initialBackoff", "60s",
                "security.failedAuth.reportInterval", "500ms"));
    admin = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static HttpAnswer getDevices(String from, String token) {
    return FromAddress.http(
        from,
        httpPort(),
        "GET",
        "/api/v1/devices",
        Map.of("Authorization", "Bearer " + token),
        null);
  }

  private static int httpPort() {
    return platform.platform().httpPort();
  }

  @Test
  void aSourceThatKeepsFailingIsRefusedWith429AndRetryAfterEvenWithARightToken() {
    String attacker = "127.0.0.11";
    String rightToken = admin.createStaff("fa-victim", "viewer");
    for (int i = 0; i <= FREE_FAILURES; i++) {
      assertThat(getDevices(attacker, "acs_guess" + i + ".wrong").status()).isEqualTo(401);
    }

    HttpAnswer refused = getDevices(attacker, rightToken);
    HttpAnswer signIn =
        FromAddress.http(
            attacker,
            httpPort(),
            "POST",
            "/api/v1/session",
            Map.of(),
            "{\"token\":\"" + rightToken + "\"}");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.headers().get("content-type")).startsWith("application/problem+json");
    assertThat(Long.parseLong(refused.headers().get("retry-after"))).isBetween(1L, 60L);
    assertThat(signIn.status()).isEqualTo(429);
    // Another source with the same token is not held back by the attacker's failures.
    assertThat(getDevices("127.0.0.12", rightToken).status()).isEqualTo(200);
    assertThat(platform.metric("aftercare_auth_throttled_total{channel=\"http\"}"))
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void failedSignInsAreAuditedInAggregateWithoutTheTokenTried() throws Exception {
    String source = "127.0.0.13";
    for (int i = 0; i < 2; i++) {
      HttpAnswer answer =
          FromAddress.http(
              source,
              httpPort(),
              "POST",
              "/api/v1/session",
              Map.of(),
              "{\"token\":\"acs_secretguess.never-logged\"}");
      assertThat(answer.status()).isEqualTo(401);
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> failedEntries(source).size() > 0);
    JsonNode entry = failedEntries(source).get(0);
    assertThat(entry.get("actor").asText()).isEqualTo("anonymous");
    assertThat(entry.get("target").asText()).isEqualTo("http");
    assertThat(entry.get("outcome").asText()).isEqualTo("denied");
    assertThat(entry.get("detail").get("failures").asLong()).isEqualTo(2);
    assertThat(admin.get("/api/v1/audit?limit=1000").body().toString())
        .doesNotContain("secretguess");
    assertThat(platform.metric("aftercare_auth_failures_total{channel=\"http\"}"))
        .isGreaterThanOrEqualTo(2);
  }

  private static JsonNode failedEntries(String source) throws Exception {
    JsonNode entries =
        admin.get("/api/v1/audit?action=auth.failed&limit=1000").body().get("entries");
    var matching = JSON.createArrayNode();
    entries.forEach(
        entry -> {
          if (source.equals(entry.path("remoteAddress").asText())) {
            matching.add(entry);
          }
        });
    return matching;
  }

  @Test
  void mqttConnectsFromABackingOffSourceGetBannedWhileOthersConnect() throws Exception {
    String deviceId = "fa-mqtt-1";
    String token = admin.provisionDevice(deviceId, "plug");
    String attacker = "127.0.0.14";
    for (int i = 0; i <= FREE_FAILURES; i++) {
      int code = connectV5From(attacker, deviceId, "wrong-" + i);
      assertThat(code).as("bad user name or password").isEqualTo(0x86);
    }

    int banned = connectV5From(attacker, deviceId, token);

    assertThat(banned).as("0x8A Banned").isEqualTo(0x8A);
    MqttAsyncClient fromElsewhere = PahoDevices.v5(platform.mqttUri(), deviceId, token);
    assertThat(fromElsewhere.isConnected()).isTrue();
    fromElsewhere.disconnect().waitForCompletion(10_000);
    fromElsewhere.close();
    assertThat(platform.metric("aftercare_auth_failures_total{channel=\"mqtt\"}"))
        .isGreaterThanOrEqualTo(FREE_FAILURES + 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> failedEntries(attacker).size() > 0);
    assertThat(failedEntries(attacker).get(0).get("target").asText()).isEqualTo("mqtt");
  }

  /** The CONNACK reason code of a CONNECT from {@code localAddress} (0 when accepted). */
  private static int connectV5From(String localAddress, String deviceId, String password)
      throws Exception {
    MqttConnectionOptions options = PahoDevices.v5Options(deviceId, password);
    options.setSocketFactory(FromAddress.socketFactory(localAddress));
    MqttAsyncClient client =
        new MqttAsyncClient(platform.mqttUri(), deviceId, new MemoryPersistence());
    try {
      client.connect(options).waitForCompletion(10_000);
      client.disconnect().waitForCompletion(10_000);
      return 0;
    } catch (MqttException refused) {
      return refused.getReasonCode();
    } finally {
      client.close(true);
    }
  }

  @Test
  void coapRequestsFromABackingOffSourceGetTooManyRequestsWithMaxAge() throws Exception {
    String deviceId = "fa-coap-1";
    String token = admin.provisionDevice(deviceId, "plug");
    String path = "/devices/" + deviceId + "/telemetry?token=";
    String body = "{\"metrics\":{\"power_w\":1}}";
    try (CoapDevice attacker = CoapDevice.plainFrom(platform.coapUri(), "127.0.0.15");
        CoapDevice other = CoapDevice.plainFrom(platform.coapUri(), "127.0.0.16")) {
      for (int i = 0; i <= FREE_FAILURES; i++) {
        assertThat(attacker.postJson(path + "wrong" + i, body).getCode())
            .isEqualTo(ResponseCode.UNAUTHORIZED);
      }

      CoapResponse refused = attacker.postJson(path + token, body);

      assertThat(refused.getCode()).isEqualTo(ResponseCode.TOO_MANY_REQUESTS);
      assertThat(refused.getOptions().getMaxAge()).isBetween(1L, 60L);
      assertThat(other.postJson(path + token, body).getCode()).isEqualTo(ResponseCode.CHANGED);
    }
    assertThat(platform.metric("aftercare_auth_failures_total{channel=\"coap\"}"))
        .isGreaterThanOrEqualTo(FREE_FAILURES + 1);
  }

  @Test
  void aWrongDtlsKeyCountsAsAFailedAuthentication() throws Exception {
    String deviceId = "fa-dtls-1";
    admin.provisionDevice(deviceId, "plug");
    double before = platform.metric("aftercare_auth_failures_total{channel=\"coap\"}");

    try (CoapDevice wrongKey =
        CoapDevice.dtlsExpectingRefusal(platform.coapsUri(), deviceId, "not-the-device-token")) {
      wrongKey.assertKeyRefused("/devices/" + deviceId + "/telemetry", "{\"metrics\":{\"x\":1}}");
    }

    // The wrong key shows as the server's hello flight timing out after its retransmissions.
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> platform.metric("aftercare_auth_failures_total{channel=\"coap\"}") > before);
  }
}
