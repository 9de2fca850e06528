package io.aftercare.bench;

import io.aftercare.platform.db.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The support console's query benchmark. (a) Loads a fleet-scale dataset into the platform's schema
 * unless the database holds it already: the telemetry history of {@code --history-devices} devices
 * at one document a minute over {@code --days} days (binary COPY into {@code telemetry_documents}),
 * {@code --devices} devices in the registry with their alarms, {@code --tickets} tickets with their
 * timelines; then ANALYZE. (b) Starts the real platform on it ({@code java -jar platform.jar}) and
 * times the console's main queries through the HTTP API: p50, p95, p99 and max of each.
 *
 * <p>{@code java -cp bench/target/bench.jar:platform/target/platform.jar
 * io.aftercare.bench.ConsoleQueries --data-dir DIR} (see bench/README.md).
 */
@Command(
    name = "console-queries",
    mixinStandardHelpOptions = true,
    description =
        "Loads a fleet-scale history (skipping what the database already holds), then measures"
            + " the support console's main queries through the platform's HTTP API.")
public final class ConsoleQueries implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      description =
          "Folder of the embedded PostgreSQL (<data-dir>/postgres, the platform's layout); kept"
              + " across runs, so a re-run reuses the loaded data")
  private Path dataDir;

  @Option(names = "--db-url", description = "An external PostgreSQL or TimescaleDB instead")
  private String dbUrl;

  @Option(names = "--db-user", defaultValue = "postgres", description = "(${DEFAULT-VALUE})")
  private String dbUser;

  @Option(names = "--db-password", defaultValue = "", description = "(empty)")
  private String dbPassword;

  @Option(
      names = "--devices",
      defaultValue = "100000",
      description = "Devices in the registry (${DEFAULT-VALUE})")
  private int devices;

  @Option(
      names = "--history-devices",
      defaultValue = "1000",
      description = "Devices with telemetry history (${DEFAULT-VALUE})")
  private int historyDevices;

  @Option(names = "--days", defaultValue = "30", description = "Days of history (${DEFAULT-VALUE})")
  private int days;

  @Option(names = "--tickets", defaultValue = "3000", description = "Tickets (${DEFAULT-VALUE})")
  private int tickets;

  @Option(names = "--load-only", description = "Load the dataset, measure nothing")
  private boolean loadOnly;

  @Option(
      names = "--platform-jar",
      defaultValue = "platform/target/platform.jar",
      description = "(${DEFAULT-VALUE})")
  private Path platformJar;

  @Option(
      names = "--work",
      defaultValue = "target/bench/console-queries",
      description = "Folder for the platform's log (${DEFAULT-VALUE})")
  private Path work;

  @Option(names = "--http-port", defaultValue = "18380", description = "(${DEFAULT-VALUE})")
  private int httpPort;

  @Option(
      names = "--embedded-db-port",
      defaultValue = "15433",
      description = "Port of the embedded PostgreSQL while the platform runs (${DEFAULT-VALUE})")
  private int embeddedDbPort;

  @Option(
      names = "--compress-after",
      defaultValue = "7",
      description =
          "TimescaleDB only: days after which telemetry chunks are compressed, at load and by the"
              + " platform's policy (database.compressAfter; ${DEFAULT-VALUE}, the platform's"
              + " default)")
  private int compressAfterDays;

  @Option(names = "--heap", defaultValue = "1g", description = "Platform -Xmx (${DEFAULT-VALUE})")
  private String heap;

  @Option(names = "--warmup", defaultValue = "50", description = "Requests left out, per query")
  private int warmup;

  @Option(names = "--requests", defaultValue = "200", description = "Measured requests per query")
  private int requests;

  @Option(names = "--report", description = "Also write the results (Markdown) to this file")
  private Path report;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ConsoleQueries()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if ((dataDir == null) == (dbUrl == null)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "give either --data-dir or --db-url");
    }
    PrintStream out = System.out;
    List<String> loadLines = new ArrayList<>();
    Instant end;
    boolean timescale;
    try (BenchDatabase db =
        dbUrl != null
            ? BenchDatabase.external(dbUrl, dbUser, dbPassword)
            : BenchDatabase.embedded(dataDir)) {
      timescale = db.timescale();
      try (Connection c = db.connect()) {
        BenchDataset.create(c);
        double telemetry = new TelemetryHistory(historyDevices, days, out).load(c);
        end = TelemetryHistory.end(c);
        double registry = new FleetRegistry(devices, historyDevices, out).load(c, end);
        double ticketSeconds = new TicketHistory(tickets, devices, days, out).load(c, end);
        if (telemetry + registry + ticketSeconds > 0) {
          long analyzeStart = System.nanoTime();
          try (Statement s = c.createStatement()) {
            if (timescale) {
              // What the platform's compression policy does in service, at once: a run right after
              // the load measures the state the policy keeps rather than the minutes before it
              // runs.
              s.execute(
                  "SELECT compress_chunk(chunk, if_not_compressed => true) FROM"
                      + " show_chunks('telemetry_documents', older_than => make_interval(days => "
                      + compressAfterDays
                      + ")) chunk");
            }
            // Sets the visibility map and hint bits of the loaded pages once, rather than on the
            // first queries that read them, and gives the planner its statistics.
            s.execute("VACUUM (ANALYZE) telemetry_documents");
            s.execute("ANALYZE");
          }
          double analyze = (System.nanoTime() - analyzeStart) / 1e9;
          loadLines.add(
              String.format(
                  Locale.ROOT,
                  "load in this run: telemetry %.0f s, registry and alarms %.0f s, tickets %.0f s,"
                      + " then compression (TimescaleDB only) and VACUUM ANALYZE %.0f s",
                  telemetry,
                  registry,
                  ticketSeconds,
                  analyze));
        }
      }
      if (loadOnly) {
        return 0;
      }
      if (!db.isEmbedded()) {
        return measure(db, end, timescale, loadLines);
      }
    }
    // The embedded database stopped with the block above: the platform starts it again, as it
    // would in service.
    return measure(null, end, timescale, loadLines);
  }

  private int measure(BenchDatabase external, Instant end, boolean timescale, List<String> notes)
      throws Exception {
    Path workDir = work.toAbsolutePath();
    List<QueryTimer.Result> results = new ArrayList<>();
    String loadBefore = loadAverage();
    Facts facts;
    try (PlatformProcess platform =
        PlatformProcess.start(
            platformJar,
            workDir,
            external,
            external == null ? dataDir.toAbsolutePath() : null,
            httpPort,
            embeddedDbPort,
            compressAfterDays,
            heap)) {
      String url =
          external != null
              ? external.url()
              : "jdbc:postgresql://127.0.0.1:" + embeddedDbPort + "/aftercare";
      String user = external != null ? external.user() : "aftercare";
      String password =
          external != null
              ? external.password()
              : EmbeddedPostgresServer.ownerPassword(dataDir.resolve("postgres"));
      try (Connection c = DriverManager.getConnection(url, user, password)) {
        notes.add(awaitRollup(c));
      }
      QueryTimer timer = new QueryTimer(platform.baseUrl(), platform.token());
      for (TimedQuery query : queries(timer, end)) {
        QueryTimer.Result result = timer.time(query, warmup, requests);
        results.add(result);
        System.out.println(row(result));
      }
      try (Connection c = DriverManager.getConnection(url, user, password)) {
        facts = Facts.read(c);
      }
    }
    notes.add(
        "load average (1, 5, 15 min) before the measurement: "
            + loadBefore
            + "; after: "
            + loadAverage()
            + " ("
            + Runtime.getRuntime().availableProcessors()
            + " cores)");
    String markdown = markdown(results, facts, end, timescale, notes);
    System.out.println(markdown);
    if (report != null) {
      Files.writeString(report, markdown);
    }
    return 0;
  }

  /**
   * Waits until the platform's hourly rollup has backfilled the stored history, so that the
   * measurement shows the state a platform keeps in service rather than its first minutes after an
   * upgrade; returns how long that took, as a note for the report.
   */
  private static String awaitRollup(Connection c) throws SQLException, InterruptedException {
    long start = System.nanoTime();
    Instant lastReport = Instant.EPOCH;
    while (true) {
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT backfill_done AND covered_until IS NOT NULL AS ready, backfill_from"
                      + " FROM telemetry_rollup_state")) {
        rs.next();
        if (rs.getBoolean("ready")) {
          break;
        }
        if (Instant.now().isAfter(lastReport.plusSeconds(30))) {
          lastReport = Instant.now();
          System.out.println("rollup backfill at " + rs.getTimestamp("backfill_from").toInstant());
        }
      }
      Thread.sleep(1000);
    }
    return String.format(
        Locale.ROOT,
        "hourly rollup backfilled by the platform before the measurement: %.0f s",
        (System.nanoTime() - start) / 1e9);
  }

  /** The console's main queries, as its pages send them. */
  private List<TimedQuery> queries(QueryTimer timer, Instant end)
      throws IOException, InterruptedException {
    String to = end.toString();
    String dayAgo = end.minus(Duration.ofDays(1)).toString();
    String monthAgo = end.minus(Duration.ofDays(days)).toString();
    LocalDate lastDay = end.atZone(ZoneOffset.UTC).toLocalDate();
    String secondPage =
        timer.get("/api/v1/devices?sort=firmware&type=camera&limit=50").path("nextCursor").asText();
    List<TimedQuery> queries = new ArrayList<>();
    queries.add(
        new TimedQuery(
            "device, 24 h raw points (all metrics)",
            "device page chart, last 24 h",
            n ->
                "/api/v1/devices/" + historyDevice(n) + "/telemetry?from=" + dayAgo + "&to=" + to));
    queries.add(
        new TimedQuery(
            "device, 30 days in 1 h buckets (one metric)",
            "device page chart, 30 days",
            n ->
                "/api/v1/devices/"
                    + historyDevice(n)
                    + "/telemetry?metric="
                    + BenchFleet.COMMON_METRIC
                    + "&bucket=1h&from="
                    + monthAgo
                    + "&to="
                    + to));
    queries.add(
        new TimedQuery(
            "device, 30 days in 1 h buckets (all metrics)",
            "device page, every chart, 30 days",
            n ->
                "/api/v1/devices/"
                    + historyDevice(n)
                    + "/telemetry?bucket=1h&limit=10000&from="
                    + monthAgo
                    + "&to="
                    + to));
    queries.add(
        fleet(
            "fleet, type + firmware, sorted by model",
            "type=camera&firmware=2.4.0" + "&sort=model"));
    queries.add(fleet("fleet, has open alarm", "hasOpenAlarm=true"));
    queries.add(fleet("fleet, health below 80", "healthBelow=80"));
    queries.add(fleet("fleet, health below 40", "healthBelow=40"));
    // Few devices score this low (1 % of this fleet): a filter scanning the fleet shows here.
    queries.add(fleet("fleet, health below 20", "healthBelow=20"));
    queries.add(fleet("fleet, id prefix search", "idPrefix=fridge-04"));
    queries.add(
        fleet(
            "fleet, 2nd page by cursor (type, by firmware)",
            "sort=firmware&type=camera&cursor="
                + URLEncoder.encode(secondPage, StandardCharsets.UTF_8)));
    queries.add(
        new TimedQuery(
            "alarm queue, open", "alarm queue", n -> "/api/v1/alarms?status=open&limit=50"));
    queries.add(
        new TimedQuery(
            "alarm queue, active critical",
            "alarm queue filtered",
            n -> "/api/v1/alarms?status=active&severity=critical&limit=50"));
    queries.add(
        new TimedQuery(
            "ticket queue by SLA urgency",
            "ticket queue",
            n -> "/api/v1/tickets?sort=sla&limit=50"));
    queries.add(
        new TimedQuery(
            "KPI series, 30 days",
            "KPIs page",
            n ->
                "/api/v1/kpis/series?from="
                    + lastDay.minusDays(days - 1)
                    + "&to="
                    + lastDay.plusDays(1)));
    return queries;
  }

  /** The machine's load average, which says how much else ran beside the benchmark. */
  private static String loadAverage() throws IOException {
    Path proc = Path.of("/proc/loadavg");
    if (!Files.isReadable(proc)) {
      return "unknown";
    }
    String[] fields = Files.readString(proc).trim().split(" ");
    return fields[0] + ", " + fields[1] + ", " + fields[2];
  }

  private static TimedQuery fleet(String name, String filter) {
    return new TimedQuery(name, "fleet list", n -> "/api/v1/devices?limit=50&" + filter);
  }

  /** A different device with history for each request, spread over all of them. */
  private String historyDevice(int n) {
    return BenchFleet.id((int) ((n * 7919L) % historyDevices));
  }

  private static String row(QueryTimer.Result r) {
    return String.format(
        Locale.ROOT,
        "| %s | %.1f | %.1f | %.1f | %.1f | %d | %d |",
        r.query().name(),
        r.percentileMillis(50),
        r.percentileMillis(95),
        r.percentileMillis(99),
        r.maxMillis(),
        r.items(),
        r.bytes());
  }

  private String markdown(
      List<QueryTimer.Result> results,
      Facts facts,
      Instant end,
      boolean timescale,
      List<String> notes) {
    StringBuilder md = new StringBuilder();
    md.append("Database: ")
        .append(timescale ? "TimescaleDB (telemetry a hypertable)" : "plain PostgreSQL")
        .append(", ")
        .append(facts.version)
        .append(". History ends ")
        .append(end)
        .append(".\n\n");
    for (String note : notes) {
      md.append("- ").append(note).append('\n');
    }
    md.append(facts.text).append('\n');
    md.append(
        String.format(
            Locale.ROOT,
            "%d requests per query after %d of warm-up, one at a time.%n%n",
            requests,
            warmup));
    md.append("| query | p50 ms | p95 ms | p99 ms | max ms | items in answer | bytes |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (QueryTimer.Result r : results) {
      md.append(row(r)).append('\n');
    }
    return md.toString();
  }

  /** Row counts and sizes of the tables the queries read, and the server's version. */
  private record Facts(String version, String text) {

    static Facts read(Connection c) throws SQLException {
      StringBuilder text = new StringBuilder();
      String version;
      try (Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SHOW server_version")) {
          rs.next();
          version = "PostgreSQL " + rs.getString(1);
        }
        text.append("\n| table | rows | size with indexes |\n| --- | ---: | ---: |\n");
        boolean hypertables;
        try (ResultSet rs =
            s.executeQuery(
                "SELECT to_regclass('timescaledb_information.hypertables') IS NOT NULL")) {
          rs.next();
          hypertables = rs.getBoolean(1);
        }
        for (String table :
            List.of("telemetry_documents", "devices", "alarms", "tickets", "ticket_timeline")) {
          // A hypertable's rows are in its chunks: hypertable_size counts them with their indexes.
          String size =
              hypertables && table.equals("telemetry_documents")
                  ? "hypertable_size('telemetry_documents')"
                  : "pg_total_relation_size('" + table + "')";
          try (ResultSet rs =
              s.executeQuery(
                  "SELECT (SELECT count(*) FROM " + table + "), pg_size_pretty(" + size + ")")) {
            rs.next();
            text.append(
                String.format(
                    Locale.ROOT, "| %s | %,d | %s |%n", table, rs.getLong(1), rs.getString(2)));
          }
        }
      }
      return new Facts(version, text.toString());
    }
  }
}
