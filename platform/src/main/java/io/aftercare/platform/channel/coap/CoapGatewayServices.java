package io.aftercare.platform.channel.coap;

import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.ingest.IngestService;
import io.vertx.core.Context;
import java.time.Duration;

/**
 * What the CoAP resources need from the rest of the platform. {@code context} is the Vert.x context
 * that every request is moved onto from Californium's threads.
 */
record CoapGatewayServices(
    Context context,
    IngestService ingest,
    CommandService commands,
    CoapDeviceAuthenticator authenticator,
    CoapPresence presence,
    CoapMetrics metrics,
    int maxPayloadBytes,
    Duration retryAfter) {}
