package io.aftercare.platform.channel.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aftercare.platform.testing.CoapDevice;
import io.aftercare.platform.testing.TestPlatform;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 2.04 Changed follows the commit: while the database cannot commit, a confirmable POST is not
 * answered as stored, and a full write queue is answered 5.03 with Max-Age instead of growing.
 */
class CoapAckAfterCommitTest {

  private TestPlatform platform;

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  /** Collects the one answer of an asynchronous request. */
  private static final class Answer implements CoapHandler {
    final AtomicReference<CoapResponse> response = new AtomicReference<>();

    @Override
    public void onLoad(CoapResponse received) {
      response.set(received);
    }

    @Override
    public void onError() {
      // Left empty: the assertions read the absence of a response.
    }
  }

  @Test
  void changedIsSentOnlyAfterCommit() throws Exception {
    platform = TestPlatform.start();
    String token = platform.api().provisionDevice("c-locked-1", "fridge");
    try (CoapDevice device = CoapDevice.plain(platform.coapUri())) {
      CoapClient client = device.client("/devices/c-locked-1/telemetry?token=" + token);
      Answer answer = new Answer();
      try (Connection lock = platform.database().connect()) {
        lock.setAutoCommit(false);
        try (Statement statement = lock.createStatement()) {
          statement.execute("LOCK TABLE telemetry_documents IN ACCESS EXCLUSIVE MODE");
        }
        client.post(
            answer,
            "{\"ts\":\"2026-11-23T10:00:00Z\",\"metrics\":{\"fridge_temp_c\":9.5}}",
            CoapDevice.JSON);

        // While the table is locked the batch cannot commit, so no 2.04 may come.
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(4))
            .until(
                () ->
                    answer.response.get() == null
                        || answer.response.get().getCode() != ResponseCode.CHANGED);
        // Read through the locking connection itself; any other would wait for the lock.
        try (Statement statement = lock.createStatement();
            ResultSet rows =
                statement.executeQuery(
                    "SELECT count(*) FROM telemetry WHERE device_id = 'c-locked-1'")) {
          rows.next();
          assertThat(rows.getLong(1)).isZero();
        }
        lock.rollback();
      }

      await().atMost(Duration.ofSeconds(15)).until(() -> answer.response.get() != null);
      assertThat(answer.response.get().getCode()).isEqualTo(ResponseCode.CHANGED);
      client.shutdown();
    }
    assertThat(platform.count("SELECT count(*) FROM telemetry WHERE device_id = 'c-locked-1'"))
        .isEqualTo(1);
  }

  @Test
  void fullWriteQueueAnswersServiceUnavailableWithMaxAge() throws Exception {
    platform = TestPlatform.start(Map.of("ingest.queueCapacity", "4", "coap.retryAfter", "7s"));
    String token = platform.api().provisionDevice("c-busy-1", "plug");
    String path = "/devices/c-busy-1/telemetry?token=" + token;
    try (CoapDevice device = CoapDevice.plain(platform.coapUri());
        Connection lock = platform.database().connect()) {
      lock.setAutoCommit(false);
      try (Statement statement = lock.createStatement()) {
        statement.execute("LOCK TABLE telemetry_documents IN ACCESS EXCLUSIVE MODE");
      }
      // Three points wait behind the lock; three more do not fit in a queue of four.
      CoapClient first = device.client(path);
      Answer waiting = new Answer();
      first.post(
          waiting, "{\"ts\":1795428000000,\"metrics\":{\"a\":1,\"b\":2,\"c\":3}}", CoapDevice.JSON);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> platform.metric("aftercare_ingest_queue_rows") > 0);

      CoapResponse refused =
          device.postJson(path, "{\"ts\":1795428001000,\"metrics\":{\"a\":1,\"b\":2,\"c\":3}}");

      assertThat(refused.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
      assertThat(refused.getOptions().getMaxAge()).isEqualTo(7);
      assertThat(waiting.response.get()).isNull();
      lock.rollback();
      await().atMost(Duration.ofSeconds(15)).until(() -> waiting.response.get() != null);
      assertThat(waiting.response.get().getCode()).isEqualTo(ResponseCode.CHANGED);
      first.shutdown();
    }
    assertThat(platform.count("SELECT count(*) FROM telemetry WHERE device_id = 'c-busy-1'"))
        .isEqualTo(3);
  }
}
