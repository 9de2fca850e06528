package io.aftercare.platform.fleet.firmware;

/**
 * What a regression alarm offers staff: {@code playbook} started on each of the {@code devices}
 * devices in service of the alarm's model that run its firmware now.
 */
public record RollbackOffer(String playbook, long devices) {}
