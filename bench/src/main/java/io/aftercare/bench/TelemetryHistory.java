package io.aftercare.bench;

import io.aftercare.platform.ingest.BinaryCopyDocuments;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Loads the fleet's telemetry history into {@code telemetry_documents}, the table the platform's
 * writer fills: {@code devices} devices, one document a minute each, over {@code days} days ending
 * when the load first started. Rows go in time order (every device's document of a minute, then the
 * next minute), as the gateway writes them, by binary COPY in the writer's format; one transaction
 * per day, recorded in {@link BenchDataset} so an interrupted load resumes at the next day.
 */
final class TelemetryHistory {

  static final String PART = "telemetry";

  private final int devices;
  private final int days;
  private final PrintStream log;

  TelemetryHistory(int devices, int days, PrintStream log) {
    this.devices = devices;
    this.days = days;
    this.log = log;
  }

  /** The instant the history ends at (exclusive), fixed by the first load. */
  static Instant end(Connection c) throws SQLException {
    return Instant.parse(BenchDataset.progress(c, PART).orElseThrow().split(" ")[0]);
  }

  /** Loads what is missing; returns the seconds spent loading in this call. */
  double load(Connection c) throws SQLException, IOException {
    if (BenchDataset.done(c, PART)) {
      log.println("telemetry: already loaded");
      return 0;
    }
    c.setAutoCommit(true);
    Instant end;
    int daysLoaded;
    var progress = BenchDataset.progress(c, PART);
    if (progress.isPresent()) {
      String[] parts = progress.get().split(" ");
      end = Instant.parse(parts[0]);
      daysLoaded = Integer.parseInt(parts[1]);
    } else {
      end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
      daysLoaded = 0;
      BenchDataset.record(c, PART, end + " 0", false);
    }
    Instant start = end.minus(Duration.ofDays(days));
    String[] ids = new String[devices];
    for (int d = 0; d < devices; d++) {
      ids[d] = BenchFleet.id(d);
    }
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    BinaryCopyDocuments rows = new BinaryCopyDocuments();
    Reusable bytes = new Reusable();
    long began = System.nanoTime();
    try (Statement s = c.createStatement()) {
      // A lost bench load is reloaded; waiting for each commit's flush would only slow it.
      s.execute("SET synchronous_commit = off");
    }
    c.setAutoCommit(false);
    for (int day = daysLoaded; day < days; day++) {
      long dayStarted = System.nanoTime();
      for (int hour = 0; hour < 24; hour++) {
        rows.clear();
        for (int minuteOfHour = 0; minuteOfHour < 60; minuteOfHour++) {
          long minute = (long) day * 1440 + hour * 60L + minuteOfHour;
          Instant ts = start.plus(Duration.ofMinutes(minute));
          for (int d = 0; d < devices; d++) {
            rows.add(ids[d], ts, BenchFleet.document(d, minute));
          }
        }
        bytes.reset();
        rows.writeTo(bytes);
        copy.copyIn(
            "COPY telemetry_documents (device_id, ts, metrics) FROM STDIN (FORMAT binary)",
            bytes.asInput(),
            1 << 16);
      }
      BenchDataset.record(c, PART, end + " " + (day + 1), day + 1 == days);
      c.commit();
      log.printf(
          "telemetry: day %d of %d loaded in %.1f s (%d documents a day)%n",
          day + 1, days, (System.nanoTime() - dayStarted) / 1e9, 1440L * devices);
    }
    c.setAutoCommit(true);
    return (System.nanoTime() - began) / 1e9;
  }

  /** A byte buffer read back without a copy. */
  private static final class Reusable extends ByteArrayOutputStream {
    Reusable() {
      super(16 << 20);
    }

    ByteArrayInputStream asInput() {
      return new ByteArrayInputStream(buf, 0, count);
    }
  }
}
