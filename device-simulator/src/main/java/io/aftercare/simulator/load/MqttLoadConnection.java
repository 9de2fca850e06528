package io.aftercare.simulator.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load device speaking MQTT 3.1.1 directly on a Netty channel: CONNECT, PUBLISH at QoS 0 or 1,
 * PUBACK matching with a per-message timeout, PINGREQ and DISCONNECT — just what a load device
 * needs. A general client (the Vert.x one before) flushes every PUBLISH on its own and hides its
 * channel; this one writes what a tick brings and flushes once ({@link #flush}). All state is
 * touched only on the channel's event loop, so it needs no locks.
 */
final class MqttLoadConnection implements LoadConnection {

  private static final int KEEP_ALIVE_S = 60;
  private static final int MAX_PACKET_ID = 65_535;
  private static final long CONNACK_TIMEOUT_S = 30;

  /** Where ack timeouts are checked this many times per timeout, so one is reported that late. */
  private static final int ACK_CHECKS_PER_TIMEOUT = 30;

  private final EventLoop loop;
  private final String host;
  private final int port;
  private final String deviceId;
  private final String token;
  private final MqttQoS qos;
  private final int maxInflight;
  private final long ackTimeoutNanos;
  private final PublishPacket publish;
  private final int documentsPerMessage;
  private final LoadStats stats;
  private final DeviceTally tally;
  private final ArrayDeque<LoadMessage> waiting = new ArrayDeque<>();
  private final IntObjectMap<Inflight> inflight = new IntObjectHashMap<>();

  /** Packet ids whose PUBACK timed out: never reused, so a late PUBACK cannot ack a new message. */
  private final Set<Integer> expiredIds = new HashSet<>();

  private final AtomicInteger outstanding = new AtomicInteger();
  private final CompletableFuture<Void> connected = new CompletableFuture<>();
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private Channel channel;
  private boolean open;
  private boolean closed;
  private boolean unflushed;
  private int lastPacketId;

  private record Inflight(LoadMessage message, long sentNanos) {}

  MqttLoadConnection(
      EventLoop loop,
      String host,
      int port,
      String deviceId,
      String token,
      MqttQoS qos,
      int maxInflight,
      Duration ackTimeout,
      TelemetryDocument document,
      LoadStats stats) {
    this.loop = loop;
    this.host = host;
    this.port = port;
    this.deviceId = deviceId;
    this.token = token;
    this.qos = qos;
    this.maxInflight = maxInflight;
    this.ackTimeoutNanos = ackTimeout.toNanos();
    this.publish = new PublishPacket("devices/" + deviceId + "/telemetry", qos, document);
    this.documentsPerMessage = document.documents();
    this.stats = stats;
    this.tally = new DeviceTally(deviceId);
  }

  @Override
  public CompletionStage<Void> connect() {
    long start = System.nanoTime();
    new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new Handler(start));
              }
            })
        .connect(host, port)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                connected.completeExceptionally(f.cause());
              }
            });
    return connected;
  }

  @Override
  public Executor executor() {
    return loop;
  }

  @Override
  public void submit(LoadMessage message) {
    outstanding.incrementAndGet();
    stats.submitted(message);
    if (!open) {
      fail("not_connected");
      return;
    }
    waiting.add(message);
    drain();
  }

  @Override
  public void flush() {
    if (unflushed) {
      unflushed = false;
      channel.flush();
    }
  }

  private void drain() {
    while (!waiting.isEmpty() && (qos == MqttQoS.AT_MOST_ONCE || inflight.size() < maxInflight)) {
      publish(waiting.poll());
    }
  }

  private void publish(LoadMessage message) {
    long ts = tally.nextTs(message.tsMillis(), documentsPerMessage);
    LoadMessage stamped = new LoadMessage(message.intendedNanos(), ts);
    tally.sent(ts);
    unflushed = true;
    if (qos == MqttQoS.AT_MOST_ONCE) {
      channel
          .write(publish.encode(channel.alloc(), 0, ts))
          .addListener(
              written -> {
                if (written.isSuccess()) {
                  // No acknowledgement exists at QoS 0: "acked" means written to the socket.
                  acknowledged(stamped);
                } else {
                  fail("publish_failed");
                }
              });
      return;
    }
    int packetId = nextPacketId();
    inflight.put(packetId, new Inflight(stamped, System.nanoTime()));
    // A failed write closes the channel, which fails what is in flight.
    channel.write(publish.encode(channel.alloc(), packetId, ts), channel.voidPromise());
  }

  private int nextPacketId() {
    do {
      lastPacketId = lastPacketId % MAX_PACKET_ID + 1;
    } while (inflight.containsKey(lastPacketId) || expiredIds.contains(lastPacketId));
    return lastPacketId;
  }

  private void onPubAck(int packetId) {
    Inflight acked = inflight.remove(packetId);
    if (acked == null) {
      expiredIds.remove(packetId);
      stats.duplicateAck();
      return;
    }
    acknowledged(acked.message());
    drain();
  }

  private void expireAcks() {
    long now = System.nanoTime();
    List<Integer> expired = new ArrayList<>();
    for (IntObjectMap.PrimitiveEntry<Inflight> entry : inflight.entries()) {
      if (now - entry.value().sentNanos() >= ackTimeoutNanos) {
        expired.add(entry.key());
      }
    }
    for (int packetId : expired) {
      inflight.remove(packetId);
      expiredIds.add(packetId);
      fail("ack_timeout");
    }
    drain();
    flush();
  }

  private void acknowledged(LoadMessage message) {
    tally.acked(message.tsMillis());
    stats.acked(message);
    outstanding.decrementAndGet();
  }

  private void fail(String kind) {
    stats.failed(kind);
    outstanding.decrementAndGet();
  }

  private void onOpen(long connectStart) {
    open = true;
    stats.connected(System.nanoTime() - connectStart);
    long checkEvery = Math.max(1, ackTimeoutNanos / ACK_CHECKS_PER_TIMEOUT);
    timers.add(
        loop.scheduleAtFixedRate(this::expireAcks, checkEvery, checkEvery, TimeUnit.NANOSECONDS));
    // Any packet keeps the session alive, but the schedule may pause (draining, a slow server).
    timers.add(
        loop.scheduleAtFixedRate(
            () -> channel.writeAndFlush(MqttMessage.PINGREQ, channel.voidPromise()),
            KEEP_ALIVE_S / 2,
            KEEP_ALIVE_S / 2,
            TimeUnit.SECONDS));
    connected.complete(null);
  }

  private void onClosed() {
    open = false;
    timers.forEach(t -> t.cancel(false));
    String kind = closed ? "closed_by_test" : "connection_lost";
    inflight.values().forEach(m -> fail(kind));
    inflight.clear();
    waiting.forEach(m -> fail(kind));
    waiting.clear();
    connected.completeExceptionally(new IOException("connection closed before CONNACK"));
  }

  @Override
  public int outstanding() {
    return outstanding.get();
  }

  @Override
  public CompletionStage<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(
        () -> {
          closed = true;
          if (channel == null || !channel.isActive()) {
            onClosed();
            done.complete(null);
            return;
          }
          channel.closeFuture().addListener(f -> done.complete(null));
          channel.writeAndFlush(MqttMessage.DISCONNECT).addListener(f -> channel.close());
        });
    return done;
  }

  @Override
  public DeviceTally tally() {
    return tally;
  }

  /** The channel's end of the session; runs on {@link #loop}. */
  private final class Handler extends SimpleChannelInboundHandler<MqttMessage> {

    private final long connectStart;

    Handler(long connectStart) {
      this.connectStart = connectStart;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      MqttMessageBuilders.ConnectBuilder connect =
          MqttMessageBuilders.connect()
              .protocolVersion(MqttVersion.MQTT_3_1_1)
              .clientId(deviceId)
              .cleanSession(true)
              .keepAlive(KEEP_ALIVE_S);
      if (token != null) {
        connect
            .hasUser(true)
            .username(deviceId)
            .hasPassword(true)
            .password(token.getBytes(StandardCharsets.UTF_8));
      }
      ctx.writeAndFlush(connect.build());
      timers.add(
          loop.schedule(
              () -> {
                if (!open) {
                  connected.completeExceptionally(new IOException("connack_timeout"));
                  ctx.close();
                }
              },
              CONNACK_TIMEOUT_S,
              TimeUnit.SECONDS));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage message) {
      if (message.decoderResult().isFailure()) {
        exceptionCaught(ctx, message.decoderResult().cause());
        return;
      }
      switch (message.fixedHeader().messageType()) {
        case PUBACK -> onPubAck(((MqttPubAckMessage) message).variableHeader().messageId());
        case CONNACK -> onConnAck(ctx, (MqttConnAckMessage) message);
        default -> {
          // PINGRESP, and nothing else is expected by a device that subscribes to nothing.
        }
      }
    }

    private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage ack) {
      MqttConnectReturnCode code = ack.variableHeader().connectReturnCode();
      if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
        onOpen(connectStart);
      } else {
        connected.completeExceptionally(new IOException("connack_" + code));
        ctx.close();
      }
    }

    /** PUBACKs read in one go may have freed the window for queued messages: one flush for all. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      stats.error("mqtt_channel: " + cause.getClass().getSimpleName());
      ctx.close();
    }
  }
}
