package io.aftercare.platform.command;

/**
 * A command reached a final status (a device's result, or the sweeper's timeout or expiry); told to
 * {@link CommandService#onFinished} listeners after the change committed.
 */
public record CommandFinished(
    String commandId, String deviceId, String requestedBy, CommandStatus status) {}
