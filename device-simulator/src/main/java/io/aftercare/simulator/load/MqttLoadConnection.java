package io.aftercare.simulator.load;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load device on the Vert.x MQTT client (MQTT 3.1.1, non-blocking on a Netty event loop). All
 * state is touched only on the connection's own context, so it needs no locks; {@link #submit} hops
 * onto that context.
 */
final class MqttLoadConnection implements LoadConnection {

  private final Context context;
  private final MqttClient client;
  private final String host;
  private final int port;
  private final MqttQoS qos;
  private final int maxInflight;
  private final int metrics;
  private final LoadStats stats;
  private final DeviceTally tally;
  private final String topic;
  private final ArrayDeque<LoadMessage> waiting = new ArrayDeque<>();
  private final Map<Integer, LoadMessage> inflight = new HashMap<>();
  private final AtomicInteger outstanding = new AtomicInteger();
  private int sending;
  private boolean closed;

  MqttLoadConnection(
      Vertx vertx,
      String host,
      int port,
      String deviceId,
      String token,
      MqttQoS qos,
      int maxInflight,
      int metrics,
      LoadStats stats) {
    // A fresh event-loop context per connection spreads devices over all event loops; from a
    // plain thread getOrCreateContext() would hand every connection the same sticky context.
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.host = host;
    this.port = port;
    this.qos = qos;
    this.maxInflight = maxInflight;
    this.metrics = metrics;
    this.stats = stats;
    this.tally = new DeviceTally(deviceId);
    this.topic = "devices/" + deviceId + "/telemetry";
    MqttClientOptions options =
        new MqttClientOptions()
            .setClientId(deviceId)
            .setCleanSession(true)
            .setKeepAliveInterval(60)
            .setMaxInflightQueue(maxInflight)
            // A missing PUBACK is a failure worth reporting, not something to wait for forever.
            .setAckTimeout(30);
    if (token != null) {
      options.setUsername(deviceId).setPassword(token);
    }
    this.client = MqttClient.create(vertx, options);
  }

  @Override
  public CompletionStage<Void> connect() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          long start = System.nanoTime();
          client.publishCompletionHandler(this::onAck);
          client.publishCompletionUnknownPacketIdHandler(id -> stats.duplicateAck());
          client.publishCompletionExpirationHandler(id -> fail(inflight.remove(id), "ack_timeout"));
          client.closeHandler(v2 -> onClosed());
          client
              .connect(port, host)
              .onSuccess(
                  ack -> {
                    if (ack.code() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                      stats.connected(System.nanoTime() - start);
                      done.complete(null);
                    } else {
                      done.completeExceptionally(
                          new IllegalStateException("connack_" + ack.code()));
                    }
                  })
              .onFailure(done::completeExceptionally);
        });
    return done;
  }

  @Override
  public void submit(LoadMessage message) {
    outstanding.incrementAndGet();
    stats.sent();
    context.runOnContext(v -> enqueue(message));
  }

  private void enqueue(LoadMessage message) {
    if (closed || !client.isConnected()) {
      fail(message, "not_connected");
      return;
    }
    waiting.add(message);
    drain();
  }

  private void drain() {
    while (!waiting.isEmpty() && inflight.size() + sending < maxInflight && client.isConnected()) {
      send(waiting.poll());
    }
  }

  private void send(LoadMessage message) {
    long ts = tally.nextTs(message.tsMillis());
    LoadMessage stamped = new LoadMessage(message.intendedNanos(), ts);
    tally.sent(ts);
    sending++;
    client
        .publish(topic, Buffer.buffer(stamped.payload(metrics)), qos, false, false)
        .onComplete(
            written -> {
              sending--;
              if (written.failed()) {
                fail(stamped, "publish_failed");
              } else if (qos == MqttQoS.AT_MOST_ONCE) {
                // No acknowledgement exists at QoS 0: "acked" means written to the socket.
                acknowledged(stamped);
              } else {
                inflight.put(written.result(), stamped);
              }
              drain();
            });
  }

  private void onAck(int packetId) {
    LoadMessage message = inflight.remove(packetId);
    if (message == null) {
      stats.duplicateAck();
      return;
    }
    acknowledged(message);
    drain();
  }

  private void acknowledged(LoadMessage message) {
    tally.acked(message.tsMillis());
    stats.acked(message);
    outstanding.decrementAndGet();
  }

  private void fail(LoadMessage message, String kind) {
    if (message != null) {
      stats.failed(kind);
      outstanding.decrementAndGet();
    }
  }

  private void onClosed() {
    String kind = closed ? "closed_by_test" : "connection_lost";
    inflight.values().forEach(m -> fail(m, kind));
    inflight.clear();
    waiting.forEach(m -> fail(m, kind));
    waiting.clear();
  }

  @Override
  public int outstanding() {
    return outstanding.get();
  }

  @Override
  public CompletionStage<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          closed = true;
          if (!client.isConnected()) {
            onClosed();
            done.complete(null);
            return;
          }
          client.disconnect().onComplete(r -> done.complete(null));
        });
    return done;
  }

  @Override
  public DeviceTally tally() {
    return tally;
  }
}
