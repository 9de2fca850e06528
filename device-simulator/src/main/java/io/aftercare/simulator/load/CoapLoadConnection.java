package io.aftercare.simulator.load;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.Endpoint;

/**
 * A load device on plain CoAP: confirmable POSTs with Californium's asynchronous API, the token in
 * the query. CoAP has no connection, so "connected" only means ready. Californium calls back on its
 * own threads, hence the locking. The scheduler's thread sends: each exchange is handed to
 * Californium anyway, so there is no event loop to batch for.
 */
final class CoapLoadConnection implements LoadConnection {

  /** One instance for all CoAP devices, so a tick hands them their messages in one go. */
  private static final Executor SCHEDULER_THREAD = Runnable::run;

  private final CoapClient client;
  private final int maxInflight;
  private final TelemetryDocument document;
  private final LoadStats stats;
  private final DeviceTally tally;
  private final ArrayDeque<LoadMessage> waiting = new ArrayDeque<>();
  private final AtomicInteger outstanding = new AtomicInteger();
  private int inflight;
  private boolean closed;

  CoapLoadConnection(
      Endpoint endpoint,
      URI server,
      String deviceId,
      String token,
      int maxInflight,
      TelemetryDocument document,
      LoadStats stats) {
    String query =
        token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    this.client =
        new CoapClient(server.resolve("/devices/" + deviceId + "/telemetry" + query).toString());
    client.setEndpoint(endpoint);
    client.setTimeout(30_000L);
    this.maxInflight = maxInflight;
    this.document = document;
    this.stats = stats;
    this.tally = new DeviceTally(deviceId);
  }

  @Override
  public CompletionStage<Void> connect() {
    stats.connected(0);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Executor executor() {
    return SCHEDULER_THREAD;
  }

  @Override
  public void flush() {
    // Every exchange is its own datagram.
  }

  @Override
  public void submit(LoadMessage message) {
    outstanding.incrementAndGet();
    stats.submitted(message);
    synchronized (this) {
      if (closed) {
        fail("not_connected");
        return;
      }
      waiting.add(message);
    }
    drain();
  }

  private void drain() {
    while (true) {
      LoadMessage next;
      synchronized (this) {
        if (waiting.isEmpty() || inflight >= maxInflight) {
          return;
        }
        next = waiting.poll();
        inflight++;
      }
      send(next);
    }
  }

  private void send(LoadMessage message) {
    long ts = tally.nextTs(message.tsMillis(), document.documents());
    LoadMessage stamped = new LoadMessage(message.intendedNanos(), ts);
    tally.sent(ts);
    client.post(
        new CoapHandler() {
          @Override
          public void onLoad(CoapResponse response) {
            if (response.getCode() == CoAP.ResponseCode.CHANGED) {
              tally.acked(ts);
              stats.acked(stamped);
              outstanding.decrementAndGet();
            } else {
              fail("coap_" + response.getCode().text.replace(' ', '_').toLowerCase());
            }
            finished();
          }

          @Override
          public void onError() {
            fail("coap_timeout_or_rejected");
            finished();
          }
        },
        document.bytes(ts),
        MediaTypeRegistry.APPLICATION_JSON);
  }

  private void finished() {
    synchronized (this) {
      inflight--;
    }
    drain();
  }

  private void fail(String kind) {
    stats.failed(kind);
    outstanding.decrementAndGet();
  }

  @Override
  public int outstanding() {
    return outstanding.get();
  }

  @Override
  public CompletionStage<Void> close() {
    synchronized (this) {
      closed = true;
      waiting.forEach(m -> fail("closed_by_test"));
      waiting.clear();
    }
    client.shutdown();
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public DeviceTally tally() {
    return tally;
  }
}
