package io.aftercare.gateway.mqtt;

import io.aftercare.gateway.command.CommandService;
import io.aftercare.gateway.device.DeviceConnectivity;
import io.aftercare.gateway.device.DeviceRegistry;
import io.aftercare.gateway.ingest.IngestService;

/** What an MQTT connection needs from the rest of the platform. */
record MqttGatewayServices(
    IngestService ingest,
    CommandService commands,
    DeviceRegistry registry,
    DeviceConnectivity connectivity,
    ConnectionRegistry connections,
    MqttSettings settings,
    MqttMetrics metrics) {}
