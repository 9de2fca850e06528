package io.aftercare.platform.channel.mqtt;

import io.aftercare.platform.command.Command;
import io.aftercare.platform.command.CommandDocument;
import io.aftercare.platform.device.DeviceConnectivity;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.ingest.Admission;
import io.aftercare.platform.ingest.Uplink;
import io.aftercare.platform.ingest.UplinkAddress;
import io.aftercare.platform.security.FailedAuthentication;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's MQTT connection, from CONNECT to close. Runs on the event loop of the server
 * instance that accepted it; everything that blocks (credential lookup, writes) happens behind
 * futures.
 *
 * <p>A publish goes through four steps: {@link #authorize}, {@link #read}, {@link #store} and
 * {@link #acknowledge}. Any step may refuse; the refusal is turned into the MQTT answer for this
 * client's protocol version in {@link #refuse}.
 */
final class MqttDeviceConnection {

  private static final Logger LOG = LoggerFactory.getLogger(MqttDeviceConnection.class);
  private static final long QUOTA_WINDOW_NANOS = 10_000_000_000L;

  private final MqttEndpoint endpoint;
  private final MqttGatewayServices services;
  private final Context context;
  private final boolean mqtt5;

  /**
   * Whether the client's CONNECT allows a Reason String on acknowledgements (MQTT 5 3.1.2.11.7:
   * with Request Problem Information 0 only CONNACK and DISCONNECT may carry one).
   */
  private boolean problemInformationRequested = true;

  private String deviceId;
  private DeviceSubscriptions subscriptions;
  private boolean disconnectReceived;

  /** Why the connection closed when the device sent no DISCONNECT; the watchdog says so. */
  private String closedBecause = DeviceConnectivity.CONNECTION_LOST;

  private boolean takenOver;

  /** When the connection was accepted, by this node's clock; set once, before it is registered. */
  private volatile Instant connectedAt;

  private int parked;

  /** Commands published and not yet acknowledged by the device, by MQTT packet id. */
  private final Map<Integer, String> commandsAwaitingAck = new HashMap<>();

  /** Commands published on this connection, so a wake-up does not send them twice. */
  private final Set<String> commandsPublished = new HashSet<>();

  private long watchdogTimer = -1;
  private long lastActivityNanos = System.nanoTime();

  /**
   * Quota refusals since {@link #quotaWindowStart}; too many in one window close the connection.
   */
  private int quotaRefusals;

  private long quotaWindowStart = System.nanoTime();

  MqttDeviceConnection(MqttEndpoint endpoint, MqttGatewayServices services, Context context) {
    this.endpoint = endpoint;
    this.services = services;
    this.context = context;
    this.mqtt5 = MqttReasonCodes.isMqtt5(endpoint.protocolVersion());
  }

  // ---- CONNECT ----------------------------------------------------------------------------

  void onConnect() {
    endpoint.exceptionHandler(
        e -> LOG.debug("MQTT connection error for {}: {}", deviceId, e.getMessage()));
    String clientId = endpoint.clientIdentifier();
    String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
    String password = endpoint.auth() == null ? null : endpoint.auth().getPassword();
    String from = endpoint.remoteAddress() == null ? null : endpoint.remoteAddress().host();
    FailedAuthentication failedAuth = services.failedAuth();
    if (failedAuth.refusal(FailedAuthentication.Channel.MQTT, from).isPresent()) {
      reject(
          MqttReasonCodes.banned(endpoint.protocolVersion()),
          "backing off after failed authentications");
      return;
    }
    if (username == null || password == null) {
      failedAuth.failed(FailedAuthentication.Channel.MQTT, from);
      reject(MqttReasonCodes.badCredentials(endpoint.protocolVersion()), "no credentials");
      return;
    }
    if (!username.equals(clientId)) {
      reject(
          MqttReasonCodes.badClientId(endpoint.protocolVersion()),
          "client id is not the device id");
      return;
    }
    if (!services.ingest().storeAvailable()) {
      reject(MqttReasonCodes.busy(endpoint.protocolVersion()), "store unavailable");
      return;
    }
    services
        .registry()
        .authenticate(username, password, endpoint.isSsl())
        .onSuccess(this::accept)
        .onFailure(
            error -> {
              ServiceException failure = ServiceException.of(error);
              if (failure.failure() == Failure.UNAUTHENTICATED) {
                failedAuth.failed(FailedAuthentication.Channel.MQTT, from);
              }
              int version = endpoint.protocolVersion();
              reject(
                  switch (failure.failure()) {
                    case UNAUTHENTICATED -> MqttReasonCodes.badCredentials(version);
                    case FORBIDDEN -> MqttReasonCodes.notAuthorized(version);
                    default -> MqttReasonCodes.busy(version);
                  },
                  failure.getMessage());
            });
  }

  private void reject(io.netty.handler.codec.mqtt.MqttConnectReturnCode code, String why) {
    services.metrics().connectRefused(code);
    LOG.debug("MQTT CONNECT of '{}' refused ({}): {}", endpoint.clientIdentifier(), code, why);
    try {
      endpoint.reject(code);
    } catch (IllegalStateException alreadyClosed) {
      // The client went away while its credentials were checked.
    }
  }

  private void accept(String authenticatedDeviceId) {
    deviceId = authenticatedDeviceId;
    problemInformationRequested =
        MqttReasonCodes.problemInformationRequested(endpoint.connectProperties());
    subscriptions = new DeviceSubscriptions(deviceId);
    endpoint.publishAutoAck(false);
    endpoint.subscriptionAutoAck(false);
    endpoint.publishHandler(this::onPublish);
    endpoint.publishReleaseHandler(this::onPublishRelease);
    endpoint.subscribeHandler(this::onSubscribe);
    endpoint.unsubscribeHandler(this::onUnsubscribe);
    endpoint.publishAcknowledgeHandler(this::onCommandAcknowledged);
    endpoint.pingHandler(v -> touch());
    endpoint.disconnectHandler(v -> disconnectReceived = true);
    endpoint.closeHandler(v -> onClose());
    try {
      endpoint.accept(false, connackProperties());
    } catch (IllegalStateException alreadyClosed) {
      return;
    }
    EndpointSocket.coalesceFlushes(endpoint);
    connectedAt = Instant.now();
    MqttDeviceConnection previous = services.connections().register(deviceId, this);
    if (previous != null) {
      previous.takeOver();
    }
    services.takeovers().connected(deviceId, connectedAt);
    startWatchdogIfNeeded();
    services.metrics().connected();
    DeviceConnectivity connectivity = services.connectivity();
    (previous == null
            ? connectivity.online(deviceId, MqttDeviceServer.PROTOCOL, connectedAt)
            : connectivity.takenOver(deviceId, MqttDeviceServer.PROTOCOL, connectedAt))
        .onFailure(e -> LOG.warn("Could not record {} online: {}", deviceId, e.getMessage()));
  }

  private MqttProperties connackProperties() {
    MqttProperties properties = new MqttProperties();
    if (!mqtt5) {
      return properties;
    }
    MqttSettings settings = services.settings();
    properties.add(intProperty(MqttProperties.MAXIMUM_PACKET_SIZE, settings.maxPacketBytes()));
    properties.add(intProperty(MqttProperties.RECEIVE_MAXIMUM, settings.receiveMaximum()));
    properties.add(intProperty(MqttProperties.RETAIN_AVAILABLE, 0));
    properties.add(intProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 0));
    properties.add(intProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, 0));
    if (keepAliveCapped()) {
      properties.add(intProperty(MqttProperties.SERVER_KEEP_ALIVE, settings.maxKeepAliveSeconds()));
    }
    return properties;
  }

  /** {@code type} is one of MqttProperties' property identifiers, e.g. RECEIVE_MAXIMUM. */
  private static MqttProperties.IntegerProperty intProperty(int type, int value) {
    return new MqttProperties.IntegerProperty(type, value);
  }

  // ---- keep-alive ---------------------------------------------------------------------------

  private boolean keepAliveCapped() {
    int requested = endpoint.keepAliveTimeSeconds();
    return requested == 0 || requested > services.settings().maxKeepAliveSeconds();
  }

  /**
   * vertx-mqtt enforces the keep-alive the client asked for. A client asking for none (0) or for
   * more than the server allows is held to the server's maximum here instead, so that a silently
   * dead device is noticed and shown offline.
   */
  private void startWatchdogIfNeeded() {
    if (!keepAliveCapped()) {
      return;
    }
    long limitNanos = services.settings().maxKeepAliveSeconds() * 1_500_000_000L;
    watchdogTimer =
        vertx()
            .setPeriodic(
                Math.max(1000, services.settings().maxKeepAliveSeconds() * 500L),
                id -> {
                  if (System.nanoTime() - lastActivityNanos > limitNanos) {
                    LOG.debug("MQTT keep-alive expired for {}", deviceId);
                    closedBecause = DeviceConnectivity.KEEPALIVE_TIMEOUT;
                    closeWith(MqttDisconnectReasonCode.KEEP_ALIVE_TIMEOUT);
                  }
                });
  }

  private void touch() {
    lastActivityNanos = System.nanoTime();
  }

  // ---- PUBLISH ------------------------------------------------------------------------------

  void onPublish(MqttPublishMessage message) {
    touch();
    Optional<UplinkAddress> address = authorize(message);
    if (address.isEmpty()) {
      refuseTopic(message);
      return;
    }
    Admission admission = services.ingest().admit(deviceId, message.payload().length());
    if (admission != Admission.ADMITTED) {
      refuseOverQuota(message, admission);
      return;
    }
    Uplink uplink;
    try {
      uplink = read(address.get(), message);
    } catch (ServiceException e) {
      refuse(message, e);
      return;
    }
    store(message, uplink);
  }

  /** A device may publish only to its own uplink topics. */
  Optional<UplinkAddress> authorize(MqttPublishMessage message) {
    return UplinkAddress.parse(message.topicName())
        .filter(address -> address.deviceId().equals(deviceId));
  }

  Uplink read(UplinkAddress address, MqttPublishMessage message) {
    return services.ingest().read(address, message.payload().getBytes());
  }

  void store(MqttPublishMessage message, Uplink uplink) {
    Future<Void> stored = services.ingest().store(uplink);
    stored.onComplete(
        result -> {
          if (result.succeeded()) {
            acknowledge(message);
            services.metrics().published(uplink.weight());
          } else {
            ServiceException failure = ServiceException.of(result.cause());
            if (failure.failure() == Failure.OVERLOADED
                && !mqtt5
                && message.qosLevel() != MqttQoS.AT_MOST_ONCE) {
              park(message, uplink);
            } else {
              refuse(message, failure);
            }
          }
        });
  }

  void acknowledge(MqttPublishMessage message) {
    if (!endpoint.isConnected()) {
      return;
    }
    switch (message.qosLevel()) {
      case AT_LEAST_ONCE -> endpoint.publishAcknowledge(message.messageId());
      case EXACTLY_ONCE -> endpoint.publishReceived(message.messageId());
      default -> {
        // QoS 0 has no acknowledgement.
      }
    }
  }

  private void onPublishRelease(int messageId) {
    touch();
    if (endpoint.isConnected()) {
      endpoint.publishComplete(messageId);
    }
  }

  /**
   * MQTT 3.1.1 cannot refuse a publish for overload, so its socket is paused and the message waits
   * for room in the write queue. A client that keeps sending past {@code receiveMaximum} parked
   * messages (possible only if the socket cannot be paused) is disconnected.
   */
  private void park(MqttPublishMessage message, Uplink uplink) {
    parked++;
    services.metrics().parked();
    if (parked > services.settings().receiveMaximum()) {
      LOG.warn("MQTT 3.1.1 client {} exceeded {} parked messages; closing", deviceId, parked - 1);
      closeQuietly();
      return;
    }
    EndpointSocket.pause(endpoint);
    services
        .ingest()
        .whenWritable()
        .onComplete(
            ignored -> {
              parked--;
              if (parked == 0) {
                EndpointSocket.resume(endpoint);
              }
              if (endpoint.isConnected()) {
                store(message, uplink);
              }
            });
  }

  private void refuseTopic(MqttPublishMessage message) {
    services.metrics().refused(Failure.FORBIDDEN);
    if (mqtt5) {
      answerRefusal(message, Failure.FORBIDDEN, "not your topic: " + message.topicName());
    } else {
      // MQTT 3.1.1 has no negative acknowledgement: a topic violation ends the connection.
      LOG.info("MQTT 3.1.1 device {} published to '{}'; closing", deviceId, message.topicName());
      closeQuietly();
    }
  }

  /** Answers a publish that was not stored, in the way this client's protocol version allows. */
  void refuse(MqttPublishMessage message, ServiceException failure) {
    services.metrics().refused(failure.failure());
    if (mqtt5) {
      answerRefusal(message, failure.failure(), failure.getMessage());
      return;
    }
    switch (failure.failure()) {
      case INVALID_INPUT -> {
        // Acknowledged so the device does not resend it forever; the reason goes to its
        // errors topic and to the record staff can read.
        acknowledge(message);
        reportError(message.topicName(), failure.getMessage());
        services
            .ingest()
            .recordRejection(
                deviceId, MqttDeviceServer.PROTOCOL, message.topicName(), failure.getMessage());
      }
      case OVERLOADED -> {
        // QoS 0 under overload: dropped, counted.
      }
      default -> {
        // Not stored and no way to say so: close without acknowledging, the client resends.
        // Several publishes refused in one outage each get here: only the first closes.
        if (message.qosLevel() != MqttQoS.AT_MOST_ONCE) {
          closeQuietly();
        }
      }
    }
  }

  private void answerRefusal(MqttPublishMessage message, Failure failure, String reason) {
    answerRefusal(
        message, MqttReasonCodes.pubAck(failure), MqttReasonCodes.pubRec(failure), reason);
  }

  private void answerRefusal(
      MqttPublishMessage message,
      MqttPubAckReasonCode pubAck,
      MqttPubRecReasonCode pubRec,
      String reason) {
    if (!endpoint.isConnected()) {
      return;
    }
    MqttProperties properties = new MqttProperties();
    if (problemInformationRequested) {
      properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
    }
    switch (message.qosLevel()) {
      case AT_LEAST_ONCE -> endpoint.publishAcknowledge(message.messageId(), pubAck, properties);
      case EXACTLY_ONCE -> endpoint.publishReceived(message.messageId(), pubRec, properties);
      default -> {
        // QoS 0 cannot be answered; the refusal is counted.
      }
    }
  }

  /**
   * Answers a publish over the device's own allowance, without reading it. MQTT 5 gets 0x97 (quota
   * exceeded; 0x96 is not a PUBACK code), a connection that keeps on regardless a DISCONNECT 0x96;
   * MQTT 3.1.1 has no negative acknowledgement, so its connection is closed at once.
   */
  private void refuseOverQuota(MqttPublishMessage message, Admission admission) {
    services.metrics().refused(Failure.OVERLOADED);
    if (!mqtt5) {
      LOG.info("MQTT 3.1.1 device {} over its quota ({}); closing", deviceId, admission.reason());
      closeQuietly();
      return;
    }
    long now = System.nanoTime();
    if (now - quotaWindowStart > QUOTA_WINDOW_NANOS) {
      quotaWindowStart = now;
      quotaRefusals = 0;
    }
    if (++quotaRefusals > services.ingest().disconnectAfterRefusals()) {
      LOG.info(
          "MQTT device {} kept publishing over its quota ({}); disconnecting",
          deviceId,
          admission.reason());
      closeWith(MqttDisconnectReasonCode.MESSAGE_RATE_TOO_HIGH);
      return;
    }
    answerRefusal(
        message,
        MqttPubAckReasonCode.QUOTA_EXCEEDED,
        MqttPubRecReasonCode.QUOTA_EXCEEDED,
        admission.reason() + "; retry in " + services.ingest().retryAfterSeconds(deviceId) + " s");
  }

  /** Closes the connection unless it is closed already: vertx-mqtt throws on a second close. */
  private void closeQuietly() {
    if (endpoint.isConnected()) {
      endpoint.close();
    }
  }

  private void reportError(String topic, String reason) {
    String errorsTopic = "devices/" + deviceId + "/errors";
    if (!endpoint.isConnected() || !subscriptions.matches(errorsTopic)) {
      return;
    }
    JsonObject report =
        new JsonObject()
            .put("ts", Instant.now().toString())
            .put("topic", topic)
            .put("reason", reason);
    endpoint.publish(errorsTopic, report.toBuffer(), MqttQoS.AT_MOST_ONCE, false, false);
  }

  // ---- SUBSCRIBE ----------------------------------------------------------------------------

  private void onSubscribe(MqttSubscribeMessage subscribe) {
    touch();
    List<MqttSubAckReasonCode> codes = new ArrayList<>();
    List<MqttQoS> granted = new ArrayList<>();
    for (MqttTopicSubscription subscription : subscribe.topicSubscriptions()) {
      if (!subscriptions.permits(subscription.topicName())) {
        granted.add(MqttQoS.FAILURE);
        codes.add(MqttSubAckReasonCode.NOT_AUTHORIZED);
      } else if (subscriptions.wouldExceed(
          subscription.topicName(), services.settings().maxSubscriptions())) {
        granted.add(MqttQoS.FAILURE);
        codes.add(MqttSubAckReasonCode.QUOTA_EXCEEDED);
      } else {
        subscriptions.add(subscription.topicName());
        MqttQoS qos =
            subscription.qualityOfService() == MqttQoS.AT_MOST_ONCE
                ? MqttQoS.AT_MOST_ONCE
                : MqttQoS.AT_LEAST_ONCE;
        granted.add(qos);
        codes.add(MqttSubAckReasonCode.qosGranted(qos));
      }
    }
    if (mqtt5) {
      endpoint.subscribeAcknowledge(subscribe.messageId(), codes, MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.subscribeAcknowledge(subscribe.messageId(), granted);
    }
    deliverPendingCommands();
  }

  // ---- commands -----------------------------------------------------------------------------

  /** Runs {@link #deliverPendingCommands} on this connection's event loop. */
  void wake() {
    context.runOnContext(v -> deliverPendingCommands());
  }

  /**
   * Publishes the device's queued commands, oldest first, at QoS 1 on {@code devices/{id}/commands}
   * if it subscribed there. The command counts as sent when the device's PUBACK arrives; if the
   * connection drops first it stays queued and goes out again on the next connection (devices
   * recognise a repeat by its commandId).
   */
  private void deliverPendingCommands() {
    String topic = "devices/" + deviceId + "/commands";
    if (!endpoint.isConnected() || !subscriptions.matches(topic)) {
      return;
    }
    services
        .commands()
        .pending(deviceId)
        .onSuccess(
            commands -> {
              for (Command command : commands) {
                if (endpoint.isConnected() && commandsPublished.add(command.id())) {
                  endpoint
                      .publish(
                          topic,
                          CommandDocument.bytes(command),
                          MqttQoS.AT_LEAST_ONCE,
                          false,
                          false)
                      .onSuccess(packetId -> commandsAwaitingAck.put(packetId, command.id()));
                }
              }
            })
        .onFailure(
            e -> LOG.warn("Could not read queued commands of {}: {}", deviceId, e.getMessage()));
  }

  private void onCommandAcknowledged(int packetId) {
    touch();
    String commandId = commandsAwaitingAck.remove(packetId);
    if (commandId != null) {
      services
          .commands()
          .markSent(commandId, MqttDeviceServer.PROTOCOL)
          .onFailure(e -> LOG.warn("Could not mark {} sent: {}", commandId, e.getMessage()));
    }
  }

  private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
    touch();
    unsubscribe.topics().forEach(subscriptions::remove);
    endpoint.unsubscribeAcknowledge(unsubscribe.messageId());
  }

  // ---- close --------------------------------------------------------------------------------

  /** Whether this connection was accepted before {@code instant}. */
  boolean connectedBefore(Instant instant) {
    return connectedAt.isBefore(instant);
  }

  /**
   * Closes this connection, on its own context, because a newer connection of the device arrived
   * here or on another node; the newer one owns the device's state.
   */
  void takeOver() {
    context.runOnContext(
        v -> {
          takenOver = true;
          closeWith(MqttDisconnectReasonCode.SESSION_TAKEN_OVER);
        });
  }

  private void closeWith(MqttDisconnectReasonCode reason) {
    if (!endpoint.isConnected()) {
      return;
    }
    if (mqtt5) {
      // Sends the DISCONNECT and closes the connection: closing again would throw.
      endpoint.disconnect(reason, MqttProperties.NO_PROPERTIES);
    } else {
      endpoint.close();
    }
  }

  private void onClose() {
    if (watchdogTimer >= 0) {
      vertx().cancelTimer(watchdogTimer);
    }
    services.metrics().disconnected();
    // After a takeover the newer connection owns the device's state: don't mark it offline.
    if (!takenOver && services.connections().unregister(deviceId, this)) {
      String reason =
          disconnectReceived
              ? DeviceConnectivity.DISCONNECTED
              : services.connections().closing()
                  ? DeviceConnectivity.GATEWAY_SHUTDOWN
                  : closedBecause;
      services
          .connectivity()
          .offline(deviceId, MqttDeviceServer.PROTOCOL, reason, Instant.now())
          .onFailure(e -> LOG.warn("Could not record {} offline: {}", deviceId, e.getMessage()));
    }
  }

  private Vertx vertx() {
    return context.owner();
  }
}
