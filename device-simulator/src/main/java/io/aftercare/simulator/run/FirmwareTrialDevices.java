package io.aftercare.simulator.run;

import io.aftercare.simulator.device.SimulatedDevice;
import io.aftercare.simulator.fault.FaultKind;
import io.aftercare.simulator.fault.OverheatEpisodes;
import io.aftercare.simulator.link.DeviceSecrets;
import io.aftercare.simulator.platform.Provisioner;
import io.aftercare.simulator.scenario.FirmwareTrialPlan;
import io.aftercare.simulator.scenario.GroundTruthLog;
import java.time.Instant;
import java.util.Optional;

/**
 * What a firmware trial adds to a live run: its devices are provisioned with the trial's model and
 * their version's firmware, run that firmware, and overheat in episodes at its rate, each episode
 * written to the ground truth as it starts.
 */
final class FirmwareTrialDevices {

  /** Apart from the device's own random values and its battery gauge's, which its seed drives. */
  private static final long EPISODE_SALT = 0x0E915_0DE5L;

  private FirmwareTrialDevices() {}

  /**
   * The secrets of a trial device, provisioned with the trial's model and its version's firmware
   * when the credentials file does not know it yet; empty for a device not in the trial.
   */
  static Optional<DeviceSecrets> secretsFor(
      FirmwareTrialPlan trial, String deviceId, Provisioner provisioner) {
    return trial
        .device(deviceId)
        .map(
            device ->
                provisioner.secretsFor(
                    deviceId, device.device().type().id(), trial.model(), device.firmware()));
  }

  /**
   * Makes {@code device} run its version and overheat at its rate; nothing when not in the trial.
   */
  static void prepare(
      FirmwareTrialPlan trial,
      SimulatedDevice device,
      long seed,
      GroundTruthLog groundTruth,
      Instant runStart) {
    trial
        .device(device.id())
        .ifPresent(
            planned -> {
              device.installFirmware(planned.firmware());
              device.overheatIn(
                  new OverheatEpisodes(
                      seed ^ EPISODE_SALT,
                      planned.episodesPerDeviceHour(),
                      trial.heatFor(),
                      trial.coolFor()),
                  start ->
                      groundTruth.faultStarted(
                          device.id(), FaultKind.OVERHEAT_EPISODE, runStart, start));
            });
  }
}
