package io.aftercare.simulator.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** The options every subcommand shares (docs/simulator.md, Common options). */
public final class PlatformOptions {

  @Option(
      names = "--api",
      description = "Staff REST API base URL (default: ${DEFAULT-VALUE})",
      defaultValue = "http://127.0.0.1:8080")
  String api;

  @Option(
      names = "--admin-token",
      description = "Admin bearer token, used to provision devices and read results",
      defaultValue = "${env:AFTERCARE_ADMIN_TOKEN}")
  String adminToken;

  @Option(
      names = "--mqtt",
      description = "MQTT server (default: ${DEFAULT-VALUE})",
      defaultValue = "tcp://127.0.0.1:1883")
  URI mqtt;

  @Option(
      names = "--coap",
      description = "CoAP server (default: ${DEFAULT-VALUE})",
      defaultValue = "coap://127.0.0.1:5683")
  URI coap;

  @Option(
      names = "--coaps",
      description = "CoAP over DTLS server (default: ${DEFAULT-VALUE})",
      defaultValue = "coaps://127.0.0.1:5684")
  URI coaps;

  /** Paho wants {@code tcp://host:port}. */
  String mqttUri() {
    return mqtt.toString();
  }

  String requireAdminToken() {
    if (adminToken == null || adminToken.isBlank()) {
      throw new IllegalArgumentException(
          "--admin-token (or AFTERCARE_ADMIN_TOKEN) is needed to use the platform API");
    }
    return adminToken;
  }
}
