package io.aftercare.platform.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rules folder ({@code diagnostics.rulesDir}) in which {@code device_offline} raises after 2 s of
 * silence instead of 15 minutes: tests drop real connections and see the alarms.
 */
public final class QuickOfflineRules {

  private QuickOfflineRules() {}

  public static Path folder() throws IOException {
    Path rulesDir = Files.createTempDirectory("aftercare-quick-offline");
    Files.writeString(
        rulesDir.resolve("offline.yaml"),
        """
        rules:
          - id: device_offline
            description: Device silent and disconnected
            kind: absence
            levels:
              - {severity: major, after: 2s}
            category: connectivity
            open_ticket: true
        """);
    return rulesDir;
  }
}
