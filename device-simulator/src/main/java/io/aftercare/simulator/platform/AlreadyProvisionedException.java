package io.aftercare.simulator.platform;

/** The platform already knows this device id, so it will not hand out its token again. */
public final class AlreadyProvisionedException extends RuntimeException {

  public AlreadyProvisionedException(String deviceId) {
    super(
        "device "
            + deviceId
            + " is already provisioned; pass the --credentials file of the run that created it,"
            + " or use another id prefix");
  }
}
