package io.aftercare.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lean MQTT load connection against a scripted server that misbehaves on purpose. */
class MqttLoadConnectionTest {

  private static final int ACCEPTED = 0;
  private static final int NOT_AUTHORIZED = 5;

  private final LoadStats stats = new LoadStats();
  private EventLoopGroup loops;
  private FakeBroker broker;

  @BeforeEach
  void start() throws Exception {
    loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    broker = new FakeBroker();
  }

  @AfterEach
  void stop() throws Exception {
    broker.close();
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void aRefusedConnAckFailsTheConnectWithItsReturnCode() throws Exception {
    MqttLoadConnection connection = connection(4, Duration.ofSeconds(30));

    var connecting = connection.connect().toCompletableFuture();
    broker.next(FakeBroker.CONNECT);
    broker.connAck(NOT_AUTHORIZED);

    assertThatThrownBy(() -> connecting.get(5, TimeUnit.SECONDS))
        .hasRootCauseMessage("connack_CONNECTION_REFUSED_NOT_AUTHORIZED");
    send(connection, 2);
    awaitSettled(connection);
    assertThat(stats.errors()).containsEntry("not_connected", 2L);
  }

  @Test
  void aMissingPubAckIsAFailureOnceTheAckTimeoutPasses() throws Exception {
    MqttLoadConnection connection = connected(4, Duration.ofMillis(200));

    send(connection, 3);
    awaitSettled(connection);

    assertThat(stats.ackedCount()).isZero();
    assertThat(stats.failedCount()).isEqualTo(3);
    assertThat(stats.errors()).containsEntry("ack_timeout", 3L);
  }

  @Test
  void aLatePubAckNeitherAcksANewMessageNorCountsTwice() throws Exception {
    MqttLoadConnection connection = connected(4, Duration.ofMillis(200));
    send(connection, 1);
    int expired = broker.next(FakeBroker.PUBLISH).packetId();
    awaitSettled(connection);

    send(connection, 1);
    int fresh = broker.next(FakeBroker.PUBLISH).packetId();
    broker.pubAck(expired);

    assertThat(fresh).isNotEqualTo(expired);
    awaitSettled(connection);
    assertThat(stats.ackedCount()).isZero();
    assertThat(stats.duplicateAckCount()).isEqualTo(1);
  }

  @Test
  void pubAcksAreMatchedByPacketIdInAnyOrder() throws Exception {
    MqttLoadConnection connection = connected(8, Duration.ofSeconds(30));
    send(connection, 5);
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(broker.next(FakeBroker.PUBLISH).packetId());
    }

    for (int i = ids.size() - 1; i >= 0; i--) {
      broker.pubAck(ids.get(i));
    }
    awaitSettled(connection);

    assertThat(ids).doesNotHaveDuplicates();
    assertThat(stats.ackedCount()).isEqualTo(5);
    assertThat(stats.failedCount()).isZero();
    assertThat(stats.duplicateAckCount()).isZero();
    assertThat(connection.tally().unacked()).isEmpty();
  }

  @Test
  void theInflightWindowHoldsBackMessagesUntilAPubAckFreesIt() throws Exception {
    MqttLoadConnection connection = connected(2, Duration.ofSeconds(30));
    send(connection, 3);
    int first = broker.next(FakeBroker.PUBLISH).packetId();
    broker.next(FakeBroker.PUBLISH);
    assertThat(broker.silentFor(200)).isTrue();

    broker.pubAck(first);

    broker.next(FakeBroker.PUBLISH);
    assertThat(stats.ackedCount()).isEqualTo(1);
    assertThat(connection.outstanding()).isEqualTo(2);
  }

  @Test
  void aDroppedConnectionFailsWhatIsInFlightAndEverythingAfter() throws Exception {
    MqttLoadConnection connection = connected(4, Duration.ofSeconds(30));
    send(connection, 2);
    broker.next(FakeBroker.PUBLISH);
    broker.next(FakeBroker.PUBLISH);

    broker.hangUp();
    awaitSettled(connection);
    send(connection, 1);
    awaitSettled(connection);

    assertThat(stats.errors()).containsEntry("connection_lost", 2L);
    assertThat(stats.errors()).containsEntry("not_connected", 1L);
  }

  @Test
  void closeSaysDisconnect() throws Exception {
    MqttLoadConnection connection = connected(4, Duration.ofSeconds(30));

    connection.close().toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(broker.next().type()).isEqualTo(FakeBroker.DISCONNECT);
  }

  private MqttLoadConnection connection(int maxInflight, Duration ackTimeout) {
    return new MqttLoadConnection(
        loops.next(),
        "127.0.0.1",
        broker.port(),
        "dev-1",
        "secret",
        MqttQoS.AT_LEAST_ONCE,
        maxInflight,
        ackTimeout,
        new TelemetryDocument(2),
        stats);
  }

  private MqttLoadConnection connected(int maxInflight, Duration ackTimeout) throws Exception {
    MqttLoadConnection connection = connection(maxInflight, ackTimeout);
    var connecting = connection.connect().toCompletableFuture();
    broker.next(FakeBroker.CONNECT);
    broker.connAck(ACCEPTED);
    connecting.get(5, TimeUnit.SECONDS);
    return connection;
  }

  /** Submits {@code count} messages in one tick, as the scheduler does. */
  private static void send(MqttLoadConnection connection, int count) {
    long now = System.nanoTime();
    long ts = System.currentTimeMillis();
    connection
        .executor()
        .execute(
            () -> {
              for (int i = 0; i < count; i++) {
                connection.submit(new LoadMessage(now, ts + i));
              }
              connection.flush();
            });
  }

  private static void awaitSettled(MqttLoadConnection connection) throws Exception {
    // Submits run on the connection's event loop: once a task queued behind them has run, they
    // are counted in outstanding(), and it can be waited down to zero.
    CompletableFuture<Void> queuedBehind = new CompletableFuture<>();
    connection.executor().execute(() -> queuedBehind.complete(null));
    queuedBehind.get(5, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(connection.outstanding()).as("outstanding").isZero());
  }
}
