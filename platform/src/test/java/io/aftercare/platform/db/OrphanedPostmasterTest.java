package io.aftercare.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the supervisor and a new start tell a dead postmaster from a running one. */
class OrphanedPostmasterTest {

  @Test
  void aZombieIsNotRunningThoughTheJdkCallsItAlive() throws Exception {
    // The shell starts a short sleep in the background, prints its pid and becomes a long `sleep`,
    // which never reaps it: a dead process nobody waits for, as a killed postmaster whose parent
    // is the JVM.
    Process parent = new ProcessBuilder("sh", "-c", "sleep 0.2 & echo $!; exec sleep 30").start();
    try {
      long pid;
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
        pid = Long.parseLong(out.readLine().trim());
      }
      ProcessHandle zombie = ProcessHandle.of(pid).orElseThrow();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Files.readString(Path.of("/proc", Long.toString(pid), "stat")).contains(") Z "));
      assertThat(zombie.isAlive()).isTrue();
      assertThat(OrphanedPostmaster.running(zombie)).isFalse();
      assertThat(OrphanedPostmaster.running(ProcessHandle.current())).isTrue();
    } finally {
      parent.destroyForcibly();
    }
  }

  @Test
  void aFolderWithoutPidFileOrWithAStalePidHasNoPostmaster() throws Exception {
    Path folder = Files.createTempDirectory("aftercare-no-postmaster");
    assertThat(OrphanedPostmaster.find(folder)).isEmpty();
    // This JVM's pid is alive but is no postgres: a stale file naming a reused pid.
    Files.writeString(
        folder.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + folder + "\n");
    assertThat(OrphanedPostmaster.find(folder)).isEmpty();
    OrphanedPostmaster.stop(folder);
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }
}
