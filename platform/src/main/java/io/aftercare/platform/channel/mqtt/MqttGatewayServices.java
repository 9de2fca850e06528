package io.aftercare.platform.channel.mqtt;

import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.device.DeviceConnectivity;
import io.aftercare.platform.device.DeviceRegistry;
import io.aftercare.platform.ingest.IngestService;
import io.aftercare.platform.security.FailedAuthentication;

/** What an MQTT connection needs from the rest of the platform. */
record MqttGatewayServices(
    IngestService ingest,
    CommandService commands,
    DeviceRegistry registry,
    DeviceConnectivity connectivity,
    ConnectionRegistry connections,
    ClusterTakeovers takeovers,
    MqttSettings settings,
    MqttMetrics metrics,
    FailedAuthentication failedAuth) {}
