package io.aftercare.platform.command;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request to send a command: the body of {@code POST /api/v1/devices/{id}/commands}.
 *
 * @param ttlSeconds how long to wait for an offline device; {@code null} for the command's default
 */
public record CommandRequest(String name, JsonNode params, Long ttlSeconds) {}
