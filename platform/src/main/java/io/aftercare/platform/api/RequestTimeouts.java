package io.aftercare.platform.api;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/1.1 connection whose next request head (request line and headers) has not fully
 * arrived within the header time-out, or whose request body has not fully arrived within the body
 * time-out after its head. Vert.x only times out connections that send nothing at all (idle
 * time-out), so a client trickling one header byte every few seconds (slowloris) would otherwise
 * hold its socket for as long as it likes.
 *
 * <p>Sits right behind Netty's HTTP decoder, one instance per connection, on the connection's event
 * loop. The head clock runs from the connection's start, and again from the end of each response
 * once no request is in progress; it never runs while the server is still answering (a slow export
 * is not cut off).
 */
final class RequestTimeouts extends ChannelDuplexHandler {

  /** The handler's name in the pipeline. */
  static final String NAME = "aftercare-request-timeouts";

  private final long headNanos;
  private final long bodyNanos;
  private final Runnable onTimeout;

  /** Requests whose head arrived and whose response has not ended. */
  private int inProgress;

  private boolean receivingBody;
  private ScheduledFuture<?> timer;

  RequestTimeouts(Duration headTimeout, Duration bodyTimeout, Runnable onTimeout) {
    this.headNanos = headTimeout.toNanos();
    this.bodyNanos = bodyTimeout.toNanos();
    this.onTimeout = onTimeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    arm(ctx, headNanos);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      inProgress++;
      receivingBody = true;
      arm(ctx, bodyNanos);
    }
    if (msg instanceof LastHttpContent) {
      receivingBody = false;
      cancel();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    boolean interim =
        msg instanceof HttpResponse response
            && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    if (msg instanceof LastHttpContent && !interim) {
      inProgress = Math.max(0, inProgress - 1);
      if (inProgress == 0 && !receivingBody) {
        arm(ctx, headNanos);
      }
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  private void arm(ChannelHandlerContext ctx, long nanos) {
    cancel();
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  onTimeout.run();
                  ctx.close();
                },
                nanos,
                TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
