package io.aftercare.platform.ingest;

import io.aftercare.domain.DocumentCodec;
import io.aftercare.domain.InvalidDocumentException;
import io.aftercare.platform.command.CommandService;
import io.aftercare.platform.db.Jdbc;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.PreparedStatement;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way device data enters the platform, whichever channel carried it: read and validate a
 * document ({@link #read}), then store it durably ({@link #store}). Channels acknowledge the device
 * only when {@code store} succeeds.
 */
public final class IngestService {

  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  private final DocumentCodec codec;
  private final TelemetryWriter writer;
  private final Jdbc jdbc;
  private final CommandService commands;
  private final Clock clock;

  public IngestService(
      DocumentCodec codec,
      TelemetryWriter writer,
      CommandService commands,
      Jdbc jdbc,
      Clock clock) {
    this.codec = codec;
    this.writer = writer;
    this.commands = commands;
    this.jdbc = jdbc;
    this.clock = clock;
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
        case TELEMETRY ->
            new Uplink.TelemetryBatch(
                address.deviceId(),
                codec.readTelemetry(address.deviceId(), payload, clock.instant()));
        case EVENT ->
            new Uplink.Event(codec.readEvent(address.deviceId(), payload, clock.instant()));
        case COMMAND_RESULT ->
            new Uplink.CommandAnswer(codec.readCommandResult(address.deviceId(), payload));
      };
    } catch (InvalidDocumentException e) {
      throw new ServiceException(Failure.INVALID_INPUT, e.getMessage());
    }
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
