package io.aftercare.simulator.scenario;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads scenario YAML from a file or from the scenarios bundled in the jar. */
public final class ScenarioLoader {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ScenarioLoader() {}

  /**
   * @param location a file path, or {@code classpath:demo} for a bundled scenario
   */
  public static Scenario load(String location) {
    try {
      if (location.startsWith("classpath:")) {
        String name = "/scenarios/" + location.substring("classpath:".length()) + ".yaml";
        try (InputStream in = ScenarioLoader.class.getResourceAsStream(name)) {
          if (in == null) {
            throw new IllegalArgumentException("no bundled scenario " + name);
          }
          return YAML.readValue(in, Scenario.class);
        }
      }
      return YAML.readValue(Files.readString(Path.of(location)), Scenario.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario " + location, e);
    }
  }

  public static Scenario parse(String yaml) {
    try {
      return YAML.readValue(yaml, Scenario.class);
    } catch (IOException e) {
      throw new UncheckedIOException("invalid scenario", e);
    }
  }
}
