package io.aftercare.platform.channel.mqtt;

import io.aftercare.platform.channel.mqtt.MqttViolation.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first MQTT handler of a connection: cuts the client's bytes into packets, refuses a packet
 * larger than the Maximum Packet Size before buffering it, lets {@link MqttConformance} check each
 * one, and passes on only packets that passed. On a violation it answers as the specification says
 * (MQTT 5: CONNACK with the reason code for a bad CONNECT, DISCONNECT with it after a successful
 * CONNACK; MQTT 3.1.1 has no codes for these) and closes the connection.
 *
 * <p>It also holds a connection beyond the per-source cap until its CONNECT is read, to refuse it
 * in the client's protocol version.
 */
final class MqttPacketGuard extends ByteToMessageDecoder {

  private static final Logger LOG = LoggerFactory.getLogger(MqttPacketGuard.class);

  private static final int CONNACK_3_UNACCEPTABLE_PROTOCOL_VERSION = 0x01;

  private final MqttSettings settings;
  private final MqttMetrics metrics;
  private final ConnectionsPerSource sources;
  private final MqttConformance conformance;
  private boolean overSourceCap;
  private boolean accepted;
  private boolean done;

  /** The guard sent its CONNACK or DISCONNECT: nothing may follow it [MQTT-3.14.4-2]. */
  private boolean answered;

  private MqttPacketGuard(
      MqttSettings settings, MqttMetrics metrics, ConnectionsPerSource sources) {
    this.settings = settings;
    this.metrics = metrics;
    this.sources = sources;
    this.conformance = new MqttConformance(settings.receiveMaximum());
  }

  /** The guard with the tap that shows it the server's CONNACK and acknowledgements. */
  static ChannelHandler create(
      MqttSettings settings, MqttMetrics metrics, ConnectionsPerSource sources) {
    MqttPacketGuard guard = new MqttPacketGuard(settings, metrics, sources);
    return new CombinedChannelDuplexHandler<>(guard, guard.new ServerPacketTap());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
      InetAddress source = remote.getAddress();
      overSourceCap = sources.opened(source) > settings.maxConnectionsPerSource();
      ctx.channel().closeFuture().addListener(closed -> sources.closed(source));
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (done) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int passed = 0;
    boolean checkingConnect = false;
    try {
      while (true) {
        int start = in.readerIndex() + passed;
        checkingConnect = !conformance.connectSeen();
        int headerLength = fixedHeaderLength(in, start);
        if (headerLength < 0) {
          break;
        }
        int remainingLength = remainingLength(in, start, headerLength);
        int available = in.writerIndex() - start;
        int firstByte = in.getUnsignedByte(start);
        long packetBytes = (long) headerLength + remainingLength;
        if (packetBytes > settings.maxPacketBytes()) {
          throw new MqttViolation(
              Reason.PACKET_TOO_LARGE,
              packetBytes + " bytes, more than the maximum of " + settings.maxPacketBytes());
        }
        if (available < packetBytes) {
          break;
        }
        conformance.check(
            firstByte, new MqttPacketReader(in, start + headerLength, remainingLength));
        if (checkingConnect && overSourceCap) {
          refuseOverSourceCap(ctx);
          break;
        }
        passed += (int) packetBytes;
        if (firstByte >>> 4 == MqttConformance.DISCONNECT) {
          // The client closes after DISCONNECT; anything after it is not read.
          done = true;
          break;
        }
      }
    } catch (MqttViolation violation) {
      done = true;
      answer(ctx, violation, checkingConnect);
    }
    if (passed > 0) {
      out.add(in.readRetainedSlice(passed));
    }
    if (done) {
      in.skipBytes(in.readableBytes());
    }
  }

  /** The fixed header's length (2 to 5 bytes) at {@code start}, or -1 while it is incomplete. */
  private static int fixedHeaderLength(ByteBuf in, int start) throws MqttViolation {
    for (int i = 1; i <= 4; i++) {
      if (start + i >= in.writerIndex()) {
        return -1;
      }
      int digit = in.getUnsignedByte(start + i);
      if ((digit & 0x80) == 0) {
        if (digit == 0 && i > 1) {
          throw MqttViolation.malformed("remaining length not in the fewest bytes [MQTT-1.5.5-1]");
        }
        return i + 1;
      }
    }
    throw MqttViolation.malformed("remaining length longer than 4 bytes");
  }

  private static int remainingLength(ByteBuf in, int start, int headerLength) {
    int value = 0;
    for (int i = 1; i < headerLength; i++) {
      value |= (in.getUnsignedByte(start + i) & 0x7F) << (7 * (i - 1));
    }
    return value;
  }

  private void answer(ChannelHandlerContext ctx, MqttViolation violation, boolean inConnect) {
    metrics.violation(violation.reason());
    LOG.debug(
        "MQTT protocol violation from {} ({}): {}",
        ctx.channel().remoteAddress(),
        violation.reason(),
        violation.getMessage());
    ByteBuf reply = null;
    if (inConnect && violation.reason() == Reason.UNSUPPORTED_PROTOCOL_VERSION) {
      // A version the server does not speak is answered in 3.1.1's form, which every version
      // since can read [MQTT-3.1.2-2].
      reply = connack(false, CONNACK_3_UNACCEPTABLE_PROTOCOL_VERSION);
    } else if (conformance.mqtt5() && inConnect) {
      reply = connack(true, violation.reason().code);
    } else if (conformance.mqtt5() && accepted) {
      // No DISCONNECT before a successful CONNACK [MQTT-3.14.0-1].
      reply =
          Unpooled.wrappedBuffer(new byte[] {(byte) 0xE0, 2, (byte) violation.reason().code, 0});
    }
    closeAfter(ctx, reply);
  }

  /** Too many connections from this client's address: refused in its own protocol version. */
  private void refuseOverSourceCap(ChannelHandlerContext ctx) {
    done = true;
    boolean mqtt5 = conformance.mqtt5();
    MqttConnectReturnCode code =
        mqtt5
            ? MqttConnectReturnCode.CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED
            : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
    metrics.connectRefused(code);
    LOG.debug(
        "MQTT connection from {} refused: more than {} from one address",
        ctx.channel().remoteAddress(),
        settings.maxConnectionsPerSource());
    closeAfter(ctx, connack(mqtt5, code.byteValue() & 0xFF));
  }

  private static ByteBuf connack(boolean mqtt5, int code) {
    return Unpooled.wrappedBuffer(
        mqtt5 ? new byte[] {0x20, 3, 0, (byte) code, 0} : new byte[] {0x20, 2, 0, (byte) code});
  }

  private void closeAfter(ChannelHandlerContext ctx, ByteBuf reply) {
    answered = true;
    if (reply == null) {
      ctx.close();
    } else {
      ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * Sees the packets the server sends (as vertx-mqtt's messages, before they are encoded): a
   * successful CONNACK allows DISCONNECTs from then on, and acknowledgements end publishes in
   * flight.
   */
  private final class ServerPacketTap extends ChannelOutboundHandlerAdapter {

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise)
        throws Exception {
      if (answered) {
        // vertx-mqtt's acknowledgements still queued when the guard answered are not sent.
        ReferenceCountUtil.release(message);
        promise.setFailure(new ClosedChannelException());
        return;
      }
      if (message instanceof MqttConnAckMessage connack) {
        accepted =
            connack.variableHeader().connectReturnCode()
                == MqttConnectReturnCode.CONNECTION_ACCEPTED;
      } else if (message instanceof MqttMessage mqtt
          && mqtt.variableHeader() instanceof MqttMessageIdVariableHeader id) {
        int reasonCode =
            id instanceof MqttPubReplyMessageVariableHeader reply ? reply.reasonCode() : 0;
        conformance.acknowledged(
            mqtt.fixedHeader().messageType().value(), id.messageId(), reasonCode);
      }
      super.write(ctx, message, promise);
    }
  }
}
