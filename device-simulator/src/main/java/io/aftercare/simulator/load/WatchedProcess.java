package io.aftercare.simulator.load;

/**
 * A process whose CPU time the load test reports per acknowledged message, with its descendants
 * (PostgreSQL's backends are children of its postmaster).
 *
 * @param name how the report calls it, e.g. {@code platform} or {@code postgres}
 */
public record WatchedProcess(String name, long pid) {

  /** The load generator's own JVM, always watched. */
  static final String GENERATOR = "generator";

  public WatchedProcess {
    if (name.isBlank() || pid <= 0) {
      throw new IllegalArgumentException("a watched process needs a name and a positive pid");
    }
  }

  /** Parses {@code NAME=PID}, as given to {@code load --cpu-of}. */
  public static WatchedProcess parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq < 1) {
      throw new IllegalArgumentException("--cpu-of wants NAME=PID, not " + spec);
    }
    try {
      return new WatchedProcess(spec.substring(0, eq), Long.parseLong(spec.substring(eq + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--cpu-of wants NAME=PID, not " + spec, e);
    }
  }

  static WatchedProcess generator() {
    return new WatchedProcess(GENERATOR, ProcessHandle.current().pid());
  }
}
