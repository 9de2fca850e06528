package io.aftercare.platform.channel.mqtt;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrafficShapingOptions;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A vertx-mqtt server with one more handler in each connection's pipeline, in front of Netty's
 * {@code MqttDecoder}: it sees every byte a client sends before vertx-mqtt does.
 *
 * <p>vertx-mqtt 5.0 offers no hook on a new connection's pipeline before the CONNECT is decoded
 * (its endpoint handler runs after), so the server's private TCP server field is swapped for one
 * that adds the handler as each socket is set up. If a future vertx-mqtt renames the field, the
 * platform refuses to start rather than run without the checks.
 */
final class GuardedMqttServer {

  /** The name vertx-mqtt gives Netty's decoder in the pipeline. */
  private static final String DECODER = "mqttDecoder";

  private GuardedMqttServer() {}

  static MqttServer create(
      Vertx vertx, MqttServerOptions options, Supplier<ChannelHandler> guardPerConnection) {
    MqttServer server = MqttServer.create(vertx, options);
    try {
      Field field = server.getClass().getDeclaredField("server");
      field.setAccessible(true);
      NetServer sockets = (NetServer) field.get(server);
      field.set(server, new GuardingNetServer(sockets, guardPerConnection));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "Cannot put the MQTT packet checks in front of vertx-mqtt's decoder", e);
    }
    return server;
  }

  /** Delegates everything; only wraps the connect handler vertx-mqtt sets. */
  private record GuardingNetServer(NetServer delegate, Supplier<ChannelHandler> guards)
      implements NetServer {

    @Override
    public NetServer connectHandler(Handler<NetSocket> handler) {
      delegate.connectHandler(
          socket -> {
            // vertx-mqtt's handler builds the MQTT pipeline; the guard then goes before its
            // decoder, before the first byte is read (both run in this event-loop task).
            handler.handle(socket);
            ChannelPipeline pipeline =
                ((NetSocketInternal) socket).channelHandlerContext().pipeline();
            if (pipeline.get(DECODER) == null) {
              socket.close();
              throw new IllegalStateException("vertx-mqtt's pipeline has no " + DECODER);
            }
            pipeline.addBefore(DECODER, "aftercareMqttGuard", guards.get());
          });
      return this;
    }

    @Override
    public Handler<NetSocket> connectHandler() {
      return delegate.connectHandler();
    }

    @Override
    public Future<NetServer> listen() {
      return delegate.listen();
    }

    @Override
    public Future<NetServer> listen(int port, String host) {
      return delegate.listen(port, host);
    }

    @Override
    public Future<NetServer> listen(SocketAddress address) {
      return delegate.listen(address);
    }

    @Override
    public NetServer exceptionHandler(Handler<Throwable> handler) {
      delegate.exceptionHandler(handler);
      return this;
    }

    @Override
    public Future<Void> close() {
      return delegate.close();
    }

    @Override
    public Future<Void> shutdown(long timeout, TimeUnit unit) {
      return delegate.shutdown(timeout, unit);
    }

    @Override
    public int actualPort() {
      return delegate.actualPort();
    }

    @Override
    public Future<Boolean> updateSSLOptions(ServerSSLOptions options, boolean force) {
      return delegate.updateSSLOptions(options, force);
    }

    @Override
    public Future<Boolean> updateTrafficShapingOptions(TrafficShapingOptions options) {
      return delegate.updateTrafficShapingOptions(options);
    }

    @Override
    public boolean isMetricsEnabled() {
      return delegate.isMetricsEnabled();
    }
  }
}
