package io.aftercare.platform.live;

import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.TestPlatform;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures, and does not assert, what idle live-update streams cost: heap and threads of the JVM
 * before and after opening {@code -Dstreams} (default 2,000) of them. Not part of the suite (its
 * name matches no test pattern); run it on purpose, as docs/operations.md says:
 *
 * <pre>mvn -B -o verify -pl platform -am -Dtest=IdleStreamsFootprint \
 *     -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <p>The figures are printed to {@code platform/target/surefire-reports/
 * io.aftercare.platform.live.IdleStreamsFootprint-output.txt}. The clients are plain sockets in the
 * same JVM, so the heap figure includes their side too: it is an upper bound for the server's.
 */
class IdleStreamsFootprint {

  private static final Logger LOG = LoggerFactory.getLogger(IdleStreamsFootprint.class);

  private static final int STREAMS = Integer.getInteger("streams", 2_000);

  private record Snapshot(long heapBytes, int threads) {
    static Snapshot take() {
      // A few full collections, so that garbage left by start-up does not count.
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      return new Snapshot(
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
          ManagementFactory.getThreadMXBean().getThreadCount());
    }
  }

  @Test
  void measure() throws Exception {
    try (TestPlatform platform = TestPlatform.start()) {
      byte[] request =
          ("GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                  + "Authorization: Bearer "
                  + platform.platform().adminToken()
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      Snapshot before = Snapshot.take();
      List<Socket> clients = new ArrayList<>(STREAMS);
      try {
        for (int i = 0; i < STREAMS; i++) {
          Socket client = new Socket("127.0.0.1", platform.platform().httpPort());
          OutputStream out = client.getOutputStream();
          out.write(request);
          out.flush();
          clients.add(client);
        }
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> platform.metric("aftercare_sse_connections") >= STREAMS);
        Snapshot after = Snapshot.take();
        long perStream = (after.heapBytes() - before.heapBytes()) / STREAMS;
        LOG.info(
            String.format(
                "idle SSE streams: %d; heap after GC %d KiB -> %d KiB (%+d KiB, about %d bytes per"
                    + " stream, client sockets included); threads %d -> %d",
                STREAMS,
                before.heapBytes() / 1024,
                after.heapBytes() / 1024,
                (after.heapBytes() - before.heapBytes()) / 1024,
                perStream,
                before.threads(),
                after.threads()));
      } finally {
        for (Socket client : clients) {
          close(client);
        }
      }
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> platform.metric("aftercare_sse_connections") == 0);
    }
  }

  private static void close(Socket client) {
    try {
      client.close();
    } catch (IOException e) {
      // Closing is all that is left to do; a failure here changes no figure.
    }
  }
}
