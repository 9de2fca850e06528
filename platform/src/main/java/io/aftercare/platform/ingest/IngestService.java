package io.aftercare.platform.ingest;

import io.aftercare.domain.DocumentCodec;
import io.aftercare.domain.InvalidDocumentException;
import io.aftercare.domain.Telemetry;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.config.AftercareConfig;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way device data enters the platform, whichever channel carried it: check the device's
 * allowance ({@link #admit}), read and validate a document ({@link #read}), then store it durably
 * ({@link #store}). Channels acknowledge the device only when {@code store} succeeds.
 */
public final class IngestService {

  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  private final DocumentCodec codec;
  private final TelemetryWriter writer;
  private final Jdbc jdbc;
  private final CommandService commands;
  private final Clock clock;
  private final DeviceQuotas quotas;
  private final int maxQueuedPointsPerDevice;
  private final int disconnectAfterRefusals;
  private final ReceiptStamps stamps = new ReceiptStamps();
  private final Map<Admission, Counter> refusals = new EnumMap<>(Admission.class);

  public IngestService(
      DocumentCodec codec,
      TelemetryWriter writer,
      CommandService commands,
      Jdbc jdbc,
      Clock clock,
      AftercareConfig.DeviceQuota quota,
      MeterRegistry meters) {
    this.codec = codec;
    this.writer = writer;
    this.commands = commands;
    this.jdbc = jdbc;
    this.clock = clock;
    this.quotas =
        new DeviceQuotas(
            quota.messagesPerSecond(),
            quota.bytesPerSecond(),
            quota.burst().toNanos() / 1e9,
            System::nanoTime);
    this.maxQueuedPointsPerDevice = quota.maxQueuedPoints();
    this.disconnectAfterRefusals = quota.disconnectAfterRefusals();
    for (Admission refusal : Admission.values()) {
      if (refusal != Admission.ADMITTED) {
        refusals.put(
            refusal,
            Counter.builder("aftercare.ingest.quota.refused")
                .description(
                    "Device messages refused at the door for exceeding the device's own"
                        + " allowance, by which part of it")
                .tag("reason", refusal.tag())
                .register(meters));
      }
    }
  }

  /**
   * Whether the device may send a message of {@code payloadBytes} now; call before {@link #read},
   * for an authenticated device only (the check spends its allowance). Cheap: no parsing, no I/O.
   */
  public Admission admit(String deviceId, int payloadBytes) {
    Admission admission =
        writer.queuedPoints(deviceId) >= maxQueuedPointsPerDevice
            ? Admission.QUEUE_SHARE_FULL
            : quotas.take(deviceId, payloadBytes);
    if (admission != Admission.ADMITTED) {
      refusals.get(admission).increment();
    }
    return admission;
  }

  /** Whole seconds until the device's allowance admits it again, for a retry hint. */
  public long retryAfterSeconds(String deviceId) {
    return quotas.retryAfterSeconds(deviceId);
  }

  /** Quota refusals within 10 s after which an MQTT connection is closed. */
  public int disconnectAfterRefusals() {
    return disconnectAfterRefusals;
  }

  /**
   * Reads the document a device sent to {@code address}. Cheap enough for an event loop: the
   * payload is bounded by the channel's size limit.
   *
   * @throws ServiceException with {@link Failure#INVALID_INPUT} and the reason
   */
  public Uplink read(UplinkAddress address, byte[] payload) {
    try {
      return switch (address.kind()) {
        case TELEMETRY -> {
          Instant receivedAt = clock.instant();
          yield new Uplink.TelemetryBatch(
              address.deviceId(),
              stamped(
                  address.deviceId(),
                  codec.readTelemetry(address.deviceId(), payload, receivedAt),
                  receivedAt));
        }
        case EVENT -> {
          // An event without ts is stamped on receipt and keyed by (device, ts, type, code): two
          // alike ones received in one microsecond would be one row although both were acked. A
          // reserved stamp keeps them apart; an event with ts leaves one microsecond unused.
          Instant receivedAt = stamps.reserve(address.deviceId(), 1, clock.instant());
          yield new Uplink.Event(codec.readEvent(address.deviceId(), payload, receivedAt));
        }
        case COMMAND_RESULT ->
            new Uplink.CommandAnswer(codec.readCommandResult(address.deviceId(), payload));
      };
    } catch (InvalidDocumentException e) {
      throw new ServiceException(Failure.INVALID_INPUT, e.getMessage());
    }
  }

  /**
   * Gives the documents stamped on receipt distinct timestamps ({@link ReceiptStamps}): one receipt
   * instant for all of them made them one row.
   */
  private List<Telemetry> stamped(String deviceId, List<Telemetry> documents, Instant receivedAt) {
    int unstamped = 0;
    for (Telemetry document : documents) {
      if (!document.timestampFromDevice()) {
        unstamped++;
      }
    }
    if (unstamped == 0) {
      return documents;
    }
    Instant next = stamps.reserve(deviceId, unstamped, receivedAt);
    List<Telemetry> stamped = new ArrayList<>(documents.size());
    for (Telemetry document : documents) {
      if (document.timestampFromDevice()) {
        stamped.add(document);
      } else {
        stamped.add(new Telemetry(deviceId, next, false, document.metrics()));
        next = next.plusNanos(1_000);
      }
    }
    return stamped;
  }

  /**
   * Stores an uplink. The future completes, on the caller's Vert.x context, once the data is
   * committed; it fails with {@link Failure#OVERLOADED} or {@link Failure#STORE_UNAVAILABLE} when
   * nothing was stored.
   */
  public Future<Void> store(Uplink uplink) {
    if (uplink instanceof Uplink.CommandAnswer answer) {
      return commands.recordResult(answer.result());
    }
    Context context = Vertx.currentContext();
    Promise<Void> promise = Promise.promise();
    if (context == null) {
      writer.offer(uplink, failure -> settle(promise, failure));
    } else {
      ContextQueue completions = ContextQueue.of(context);
      writer.offer(uplink, failure -> completions.submit(() -> settle(promise, failure)));
    }
    return promise.future();
  }

  private static void settle(Promise<Void> promise, ServiceException failure) {
    if (failure == null) {
      promise.complete();
    } else {
      promise.fail(failure);
    }
  }

  /** Completes, on the caller's context, once the write queue has room again. */
  public Future<Void> whenWritable() {
    Context context = Vertx.currentContext();
    Promise<Void> promise = Promise.promise();
    writer.whenWritable(
        () -> {
          if (context == null) {
            promise.complete();
          } else {
            context.runOnContext(ignored -> promise.complete());
          }
        });
    return promise.future();
  }

  /** Whether the database is taking writes; channels refuse new connections while it is not. */
  public boolean storeAvailable() {
    return writer.storeAvailable();
  }

  /** Why the writer is stuck, when a batch has been running longer than the write time-out. */
  public Optional<String> writerStall() {
    return writer.stall();
  }

  /**
   * Keeps a refused document's reason for staff to see. Best effort: losing this record loses no
   * device data, so a failure is only logged.
   */
  public void recordRejection(String deviceId, String channel, String topic, String reason) {
    jdbc.call(
            connection -> {
              try (PreparedStatement insert =
                  connection.prepareStatement(
                      "INSERT INTO rejected_messages (device_id, channel, topic, reason)"
                          + " VALUES (?, ?, ?, ?)")) {
                insert.setString(1, deviceId);
                insert.setString(2, channel);
                insert.setString(3, topic);
                insert.setString(4, reason);
                insert.executeUpdate();
              }
              return null;
            })
        .onFailure(
            e ->
                LOG.warn(
                    "Could not record a rejected message of {}: {}", deviceId, e.getMessage()));
  }
}
