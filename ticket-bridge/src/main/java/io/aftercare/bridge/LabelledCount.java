package io.aftercare.bridge;

import java.util.Map;

/** One value of a counted series with its labels, e.g. tickets opened by source and priority. */
public record LabelledCount(String series, Map<String, String> labels, long value) {

  public LabelledCount {
    labels = Map.copyOf(labels);
  }
}
