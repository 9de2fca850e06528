package io.aftercare.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reads the real /proc of this JVM and of a child it starts. */
class ProcessTreeCpuTest {

  @Test
  void aWatchedDescendantCountsUnderItsOwnNameOnly() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc")), "Linux /proc");
    Process child = new ProcessBuilder("sleep", "30").start();
    try {
      WatchedProcess self = WatchedProcess.generator();
      WatchedProcess sleeper = new WatchedProcess("sleeper", child.pid());
      ProcessTreeCpu both = new ProcessTreeCpu(List.of(self, sleeper));
      ProcessTreeCpu selfOnly = new ProcessTreeCpu(List.of(self));

      assertThat(selfOnly.tree(self.pid())).contains(self.pid(), child.pid());
      assertThat(both.tree(self.pid())).contains(self.pid()).doesNotContain(child.pid());
      assertThat(both.tree(child.pid())).containsExactly(child.pid());
      // This JVM has run code already; a process's ticks never go down.
      assertThat(both.ticks()).containsOnlyKeys("generator", "sleeper");
      assertThat(both.ticks().get("generator")).isPositive();
    } finally {
      child.destroy();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aProcessThatIsGoneIsLeftOut() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc")), "Linux /proc");
    Process child = new ProcessBuilder("true").start();
    child.waitFor(10, TimeUnit.SECONDS);

    ProcessTreeCpu cpu = new ProcessTreeCpu(List.of(new WatchedProcess("gone", child.pid())));

    assertThat(cpu.ticks()).isEmpty();
  }

  @Test
  void cpuOfIsNameEqualsPid() {
    assertThat(WatchedProcess.parse("platform-a=4242"))
        .isEqualTo(new WatchedProcess("platform-a", 4242));
    assertThatThrownBy(() -> WatchedProcess.parse("4242"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WatchedProcess.parse("postgres=x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
