package io.aftercare.platform.device;

import java.time.LocalDate;

/**
 * A device to provision. Only {@code id} and {@code type} are required.
 *
 * @param customerRef the owner's reference in the service organisation's customer system (no
 *     personal data is kept here)
 * @param customerTier standard, premium or vip: one input of a service ticket's priority
 * @param soldOn the sale date, from which the warranty runs
 * @param region the service region the device is installed in (e.g. {@code north}), as the service
 *     organisation names its regions: notifications and technicians are organised by it
 * @param transport any or secure_only ({@link DeviceTransport}); {@code null} follows the fleet
 *     default, {@code tls.deviceTransport}
 * @param hubId the registered device (a Zigbee hub) this one reaches the platform through, of the
 *     same home ({@link HubAssignment})
 */
public record NewDevice(
    String id,
    String type,
    String model,
    String firmware,
    String homeId,
    String customerRef,
    String customerTier,
    LocalDate soldOn,
    String region,
    String transport,
    String hubId) {}
