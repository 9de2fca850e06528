package io.aftercare.diagnostics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default pack read from a jar, as the platform's shaded jar ships it, by several loads at once
 * (a staff reload and a reload announced by another node; several nodes in one JVM): each reads
 * every file, none finds the jar closed under it by another.
 */
class RuleLoaderJarPackTest {

  private static final int THREADS = 4;
  private static final int LOADS_PER_THREAD = 200;

  @TempDir Path folder;

  @Test
  void loadsAtOnceEachReadTheWholePack() throws Exception {
    Path jar = folder.resolve("pack.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String name : List.of("rules/", "rules/one.yaml", "rules/two.yaml")) {
        out.putNextEntry(new JarEntry(name));
        if (!name.endsWith("/")) {
          out.write("rules: []\n".getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
      }
    }
    URL pack = new URL("jar:" + jar.toUri() + "!/rules");
    List<String> errors = new CopyOnWriteArrayList<>();
    List<Integer> sizes = new CopyOnWriteArrayList<>();

    ExecutorService loads = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        running.add(
            loads.submit(
                () -> {
                  for (int i = 0; i < LOADS_PER_THREAD; i++) {
                    Map<String, String> files = RuleLoader.readPack(pack, errors);
                    sizes.add(files.size());
                  }
                }));
      }
      for (Future<?> load : running) {
        load.get();
      }
    } finally {
      loads.shutdown();
    }

    assertThat(errors).isEmpty();
    assertThat(sizes).hasSize(THREADS * LOADS_PER_THREAD).containsOnly(2);
  }
}
