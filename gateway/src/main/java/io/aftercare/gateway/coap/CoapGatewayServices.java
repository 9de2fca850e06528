package io.aftercare.gateway.coap;

import io.aftercare.gateway.command.CommandService;
import io.aftercare.gateway.ingest.IngestService;
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
