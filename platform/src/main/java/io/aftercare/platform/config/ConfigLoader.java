package io.aftercare.platform.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aftercare.domain.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the configuration from the defaults in {@code aftercare.yaml}, an optional operator file,
 * and environment variables, in that order of precedence.
 */
public final class ConfigLoader {

  /** Environment variables and the configuration keys they set. Documented in aftercare.yaml. */
  static final Map<String, String> ENVIRONMENT_KEYS =
      Map.ofEntries(
          Map.entry("AFTERCARE_DATA_DIR", "dataDir"),
          Map.entry("AFTERCARE_HTTP_PORT", "http.port"),
          Map.entry("AFTERCARE_MQTT_PORT", "mqtt.port"),
          Map.entry("AFTERCARE_COAP_PORT", "coap.port"),
          Map.entry("AFTERCARE_COAPS_PORT", "coap.securePort"),
          Map.entry("AFTERCARE_DB_URL", "database.url"),
          Map.entry("AFTERCARE_DB_USER", "database.user"),
          Map.entry("AFTERCARE_DB_PASSWORD", "database.password"),
          Map.entry("AFTERCARE_EMBEDDED_DB_PORT", "database.embeddedPort"),
          Map.entry("AFTERCARE_ADMIN_TOKEN", "security.adminToken"),
          Map.entry("AFTERCARE_REENABLE_BOOTSTRAP_ADMIN", "security.reenableBootstrapAdmin"),
          Map.entry("AFTERCARE_RULES", "diagnostics.rulesDir"),
          Map.entry("AFTERCARE_SERVER_KEY", "security.serverKey"),
          Map.entry("AFTERCARE_DATA_KEY", "security.dataKey"),
          Map.entry("AFTERCARE_DATA_KEY_PREVIOUS", "security.dataKeyPrevious"),
          Map.entry("AFTERCARE_TICKET_CONNECTOR", "tickets.connector.type"),
          Map.entry("AFTERCARE_WEBHOOK_URL", "tickets.connector.webhookUrl"),
          Map.entry("AFTERCARE_WEBHOOK_SECRET", "tickets.connector.webhookSecret"),
          Map.entry("AFTERCARE_JIRA_URL", "tickets.connector.jira.baseUrl"),
          Map.entry("AFTERCARE_JIRA_PROJECT", "tickets.connector.jira.projectKey"),
          Map.entry("AFTERCARE_JIRA_TOKEN", "tickets.connector.jira.token"),
          Map.entry("AFTERCARE_OUTBOUND_ALLOW_PRIVATE", "tickets.outboundAllowPrivate"),
          Map.entry("AFTERCARE_CUSTOMER_LINK_SECRET", "tickets.customerCare.linkSecret"),
          Map.entry("AFTERCARE_SLACK_WEBHOOK_URL", "notifications.slack.webhookUrl"),
          Map.entry("AFTERCARE_SMTP_HOST", "notifications.email.host"),
          Map.entry("AFTERCARE_SMTP_PASSWORD", "notifications.email.password"),
          Map.entry("AFTERCARE_TLS_CERT", "tls.certificate"),
          Map.entry("AFTERCARE_TLS_KEY", "tls.privateKey"),
          Map.entry("AFTERCARE_TLS_SELF_SIGNED", "tls.selfSigned"),
          Map.entry("AFTERCARE_MQTTS_PORT", "tls.mqttPort"),
          Map.entry("AFTERCARE_CLUSTER", "cluster.mode"),
          Map.entry("AFTERCARE_NODE_ID", "cluster.nodeId"),
          Map.entry("AFTERCARE_CLUSTER_HOST", "cluster.host"),
          Map.entry("AFTERCARE_CLUSTER_PORT", "cluster.port"),
          Map.entry("AFTERCARE_CLUSTER_EVENT_BUS_PORT", "cluster.eventBusPort"),
          Map.entry("AFTERCARE_CLUSTER_MEMBERS", "cluster.members"));

  private final ObjectMapper yaml;

  public ConfigLoader() {
    SimpleModule durations =
        new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer());
    this.yaml =
        new ObjectMapper(new YAMLFactory())
            .registerModule(durations)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  /**
   * @param operatorFile a YAML file overriding the defaults, or {@code null}
   * @param environment the process environment (a map, so that tests can pass their own)
   */
  public AftercareConfig load(Path operatorFile, Map<String, String> environment) {
    ObjectNode tree = defaults();
    if (operatorFile != null) {
      merge(tree, read(operatorFile));
    }
    ENVIRONMENT_KEYS.forEach(
        (variable, key) -> {
          String value = environment.get(variable);
          if (value != null) {
            set(tree, key, value);
          }
        });
    return bind(tree);
  }

  /** Applies {@code key=value} overrides, e.g. from tests: {@code mqtt.port=0}. */
  public AftercareConfig load(Map<String, String> overrides) {
    ObjectNode tree = defaults();
    overrides.forEach((key, value) -> set(tree, key, value));
    return bind(tree);
  }

  private AftercareConfig bind(ObjectNode tree) {
    try {
      return yaml.treeToValue(tree, AftercareConfig.class);
    } catch (IOException e) {
      throw new ConfigException("invalid configuration: " + e.getMessage(), e);
    }
  }

  private ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/aftercare.yaml")) {
      return (ObjectNode) yaml.readTree(Objects.requireNonNull(in, "aftercare.yaml missing"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectNode read(Path file) {
    try {
      JsonNode node = yaml.readTree(Files.readAllBytes(file));
      if (node == null || node.isMissingNode() || node.isNull()) {
        return yaml.createObjectNode();
      }
      if (!node.isObject()) {
        throw new ConfigException(file + ": expected a YAML mapping at the top level", null);
      }
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void merge(ObjectNode target, ObjectNode source) {
    source
        .properties()
        .forEach(
            entry -> {
              JsonNode existing = target.get(entry.getKey());
              if (existing instanceof ObjectNode existingObject
                  && entry.getValue() instanceof ObjectNode sourceObject) {
                merge(existingObject, sourceObject);
              } else {
                target.set(entry.getKey(), entry.getValue());
              }
            });
  }

  private static void set(ObjectNode tree, String dottedKey, String value) {
    String[] parts = dottedKey.split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.withObjectProperty(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
  }

  /** Binds durations through {@link Durations}. */
  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      String text = parser.getValueAsString();
      try {
        return Durations.parse(text);
      } catch (IllegalArgumentException e) {
        return (Duration)
            context.handleWeirdStringValue(
                Duration.class, text, "expected a duration such as 30s, 5m or PT30S");
      }
    }
  }
}
