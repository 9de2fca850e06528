package io.aftercare.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.EmbeddedDatabaseFolder;
import io.aftercare.platform.testing.PlatformProcess;
import io.aftercare.platform.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Promise 11, database parts: the embedded PostgreSQL comes back after it or the JVM is killed. */
class EmbeddedPostgresRecoveryTest {

  @Test
  void aKilledPostmasterIsStartedAgainAndTheApiWorksAgain() {
    try (TestPlatform platform = TestPlatform.startEmbedded(Map.of())) {
      EmbeddedDatabaseFolder folder = platform.embeddedDatabase();
      long killed = folder.postmasterPid();
      int port = folder.port();
      platform.api().createStaff("before-kill", "viewer");

      folder.killPostmaster();

      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> folder.postmasterPid() != killed && postmasterAlive(folder));
      assertThat(folder.port()).isEqualTo(port);
      // The pool drops its dead connections and opens new ones.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  platform
                          .api()
                          .post("/api/v1/staff", Map.of("name", "after-kill", "role", "viewer"))
                          .status()
                      == 201);
      assertThat(platform.api().get("/api/v1/staff").status()).isEqualTo(200);
      assertThat(platform.api().get("/api/v1/audit/verify").body().get("intact").asBoolean())
          .isTrue();
    }
  }

  @Test
  void aStartAfterTheJvmWasKilledStopsTheOrphanedPostmasterAndSucceeds() throws Exception {
    Path dataDir = Files.createTempDirectory("aftercare-orphan");
    String adminToken = "orphan-admin-" + System.nanoTime();
    EmbeddedDatabaseFolder folder = new EmbeddedDatabaseFolder(dataDir);
    try {
      try (PlatformProcess first = PlatformProcess.startEmbedded(dataDir, adminToken, List.of())) {
        first.api().createStaff("before-crash", "viewer");
        first.kill();
      }
      long orphan = folder.postmasterPid();
      assertThat(postmasterAlive(folder)).as("the JVM's PostgreSQL outlives it").isTrue();

      try (PlatformProcess second = PlatformProcess.startEmbedded(dataDir, adminToken, List.of())) {
        assertThat(second.log()).contains("still runs on");
        // Stopped: gone, or a zombie its new parent has not reaped yet (a container's first
        // process may never reap it), which isAlive still counts as alive.
        assertThat(ProcessHandle.of(orphan).map(OrphanedPostmaster::running))
            .isIn(Optional.empty(), Optional.of(false));
        assertThat(second.api().get("/api/v1/staff").body().toString()).contains("before-crash");
        second.kill();
      }
    } finally {
      // The second JVM was killed too: its PostgreSQL is an orphan this test must not leave.
      OrphanedPostmaster.stop(folder.postgresDir());
    }
  }

  private static boolean postmasterAlive(EmbeddedDatabaseFolder folder) {
    return ProcessHandle.of(folder.postmasterPid()).map(OrphanedPostmaster::running).orElse(false);
  }
}
