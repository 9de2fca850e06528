package io.aftercare.simulator.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of process trees, read from Linux's {@code /proc}: for each watched process, its own
 * time and its descendants', living ones by their counters, exited ones through the counters of the
 * parent that reaped them (cutime, cstime). A descendant that is itself watched is counted under
 * its own name only. Where there is no {@code /proc}, nothing is measured.
 */
final class ProcessTreeCpu {

  /**
   * {@code /proc} counts CPU time in USER_HZ ticks, which the kernel fixes at 100 per second on
   * every architecture, whatever its internal tick rate.
   */
  static final double TICKS_PER_SECOND = 100;

  private static final Path PROC = Path.of("/proc");

  private final List<WatchedProcess> watched;

  ProcessTreeCpu(List<WatchedProcess> watched) {
    this.watched = List.copyOf(watched);
  }

  /** Ticks per watched process name now; a process that is gone is left out. */
  Map<String, Long> ticks() {
    Map<Long, Stat> all = readAll();
    Set<Long> roots = new HashSet<>();
    watched.forEach(w -> roots.add(w.pid()));
    Map<String, Long> ticks = new LinkedHashMap<>();
    for (WatchedProcess process : watched) {
      if (all.containsKey(process.pid())) {
        long sum = 0;
        for (long pid : tree(all, process.pid(), roots)) {
          sum += all.get(pid).ticks();
        }
        ticks.put(process.name(), sum);
      }
    }
    return ticks;
  }

  /** The pids of {@code root}'s tree, without the subtrees of the other watched roots. */
  Set<Long> tree(long root) {
    Set<Long> roots = new HashSet<>();
    watched.forEach(w -> roots.add(w.pid()));
    return tree(readAll(), root, roots);
  }

  private static Set<Long> tree(Map<Long, Stat> all, long root, Set<Long> roots) {
    Map<Long, List<Long>> children = new HashMap<>();
    all.forEach(
        (pid, stat) -> children.computeIfAbsent(stat.ppid(), p -> new ArrayList<>()).add(pid));
    Set<Long> tree = new HashSet<>();
    ArrayDeque<Long> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      long pid = todo.poll();
      if (tree.add(pid)) {
        for (long child : children.getOrDefault(pid, List.of())) {
          if (!roots.contains(child)) {
            todo.add(child);
          }
        }
      }
    }
    return tree;
  }

  private record Stat(long ppid, long ticks) {}

  private static Map<Long, Stat> readAll() {
    Map<Long, Stat> all = new HashMap<>();
    if (!Files.isDirectory(PROC)) {
      return all;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path entry : entries) {
        Stat stat = read(entry.resolve("stat"));
        if (stat != null) {
          all.put(Long.parseLong(entry.getFileName().toString()), stat);
        }
      }
    } catch (IOException e) {
      // /proc itself unreadable: nothing measured, as on a system without it.
      return Map.of();
    }
    return all;
  }

  /** One {@code /proc/PID/stat}; null for a process that exited while /proc was read. */
  private static Stat read(Path statFile) {
    String line;
    try {
      line = Files.readString(statFile);
    } catch (IOException e) {
      return null;
    }
    // The command name (field 2) is in parentheses and may hold spaces and parentheses itself.
    String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (state): ppid is field 4, utime..cstime fields 14 to 17.
    long ticks = 0;
    for (int field = 14; field <= 17; field++) {
      ticks += Long.parseLong(fields[field - 3]);
    }
    return new Stat(Long.parseLong(fields[1]), ticks);
  }
}
