package io.aftercare.platform.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code set_config} changes only the settings the catalog allows for the device's type, each
 * within its schema: single commands, bulk previews and bulk submissions, over HTTP.
 */
class SetConfigKeysTest {

  private static TestPlatform platform;
  private static ApiClient admin;
  private static ApiClient technician;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start();
    admin = platform.api();
    technician = admin.as(admin.createStaff("sck-tech", "technician"));
    admin.provisionDevice("sck-thermo", "thermostat");
    admin.provisionDevice("sck-plug", "smart_plug");
    admin.provisionDevice("sck-lamp", "lamp");
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static ApiClient.Response setConfig(String deviceId, String key, String value) {
    return technician.post(
        "/api/v1/devices/" + deviceId + "/commands",
        Map.of("name", "set_config", "params", Map.of("key", key, "value", value)));
  }

  @Test
  void anAllowedKeyWithAValidValueIsQueued() {
    assertThat(setConfig("sck-thermo", "setpoint_c", "21.5").status()).isEqualTo(202);
    assertThat(setConfig("sck-plug", "relay_on", "false").status()).isEqualTo(202);
    assertThat(setConfig("sck-plug", "reporting_interval_s", "30").status()).isEqualTo(202);
  }

  @Test
  void anUnknownKeyIsRefusedNamingIt() {
    long before = platform.count("SELECT count(*) FROM commands WHERE device_id = 'sck-thermo'");

    ApiClient.Response refused = setConfig("sck-thermo", "broker_url", "tcp://evil:1883");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("detail").asText())
        .contains("params.key")
        .contains("broker_url")
        .contains("setpoint_c");
    assertThat(platform.count("SELECT count(*) FROM commands WHERE device_id = 'sck-thermo'"))
        .isEqualTo(before);
  }

  @Test
  void aKeyOfAnotherDeviceTypeIsRefused() {
    ApiClient.Response refused = setConfig("sck-thermo", "relay_on", "true");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().get("detail").asText()).contains("relay_on").contains("thermostat");
  }

  @Test
  void aTypeWithoutConfigKeysRefusesSetConfigItself() {
    assertThat(setConfig("sck-lamp", "reporting_interval_s", "30").status()).isEqualTo(400);
  }

  @Test
  void valuesAreCheckedAgainstTheKeysTypeAndRange() {
    ApiClient.Response tooHot = setConfig("sck-thermo", "setpoint_c", "80");
    assertThat(tooHot.status()).isEqualTo(400);
    assertThat(tooHot.body().get("detail").asText())
        .contains("params.value")
        .contains("between 5 and 35");

    ApiClient.Response notANumber = setConfig("sck-thermo", "setpoint_c", "warm");
    assertThat(notANumber.status()).isEqualTo(400);
    assertThat(notANumber.body().get("detail").asText()).contains("must be a number");

    assertThat(setConfig("sck-plug", "relay_on", "yes").status()).isEqualTo(400);
    assertThat(setConfig("sck-plug", "reporting_interval_s", "2.5").status()).isEqualTo(400);
    assertThat(setConfig("sck-plug", "wifi_passphrase", "short").status()).isEqualTo(400);
  }

  @Test
  void bulkPreviewsAndSubmissionsRefuseUnknownKeys() {
    Map<String, Object> body = new HashMap<>();
    body.put("filter", Map.of("idPrefix", "sck-"));
    body.put("command", "set_config");
    body.put("params", Map.of("key", "broker_url", "value", "tcp://evil:1883"));

    ApiClient.Response preview = technician.post("/api/v1/bulk-commands/preview", body);
    assertThat(preview.status()).isEqualTo(400);
    assertThat(preview.body().get("detail").asText()).contains("broker_url");

    body.put("expectedCount", 3);
    long batches = platform.count("SELECT count(*) FROM bulk_commands");
    ApiClient.Response submit = technician.post("/api/v1/bulk-commands", body);
    assertThat(submit.status()).isEqualTo(400);
    assertThat(submit.body().get("detail").asText()).contains("broker_url");
    assertThat(platform.count("SELECT count(*) FROM bulk_commands")).isEqualTo(batches);
  }

  @Test
  void theCommandPanelOffersOnlyTheDeviceTypesKeys() {
    JsonNode catalog = technician.get("/api/v1/devices/sck-plug/command-catalog").body();
    JsonNode setConfig = null;
    for (JsonNode command : catalog.get("commands")) {
      if (command.get("name").asText().equals("set_config")) {
        setConfig = command;
      }
    }

    assertThat(setConfig).isNotNull();
    assertThat(setConfig.at("/params/key/enum"))
        .extracting(JsonNode::asText)
        .contains("relay_on", "wifi_passphrase")
        .doesNotContain("setpoint_c");
    assertThat(setConfig.at("/params/value/secret").asBoolean()).isFalse();
  }
}
