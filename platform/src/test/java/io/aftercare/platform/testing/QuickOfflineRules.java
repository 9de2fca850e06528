package io.aftercare.platform.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rules folder ({@code diagnostics.rulesDir}) in which {@code device_offline} raises after 2 s of
 * silence instead of 15 minutes: tests drop real connections and see the alarms.
 */
public final class QuickOfflineRules {

  private QuickOfflineRules() {}

  /**
   * Platform settings with {@link #folder()} as the rules folder and diagnostics ticks every 200 ms
   * (silences are noticed soon after they pass 2 s), then {@code more} key and value pairs.
   */
  public static Map<String, String> settings(String... more) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("diagnostics.rulesDir", folder().toString());
    settings.put("diagnostics.tickInterval", "200ms");
    for (int i = 0; i < more.length; i += 2) {
      settings.put(more[i], more[i + 1]);
    }
    return settings;
  }

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
