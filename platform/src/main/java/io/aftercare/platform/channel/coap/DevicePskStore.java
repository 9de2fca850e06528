package io.aftercare.platform.channel.coap;

import io.aftercare.platform.device.DeviceRegistry;
import io.vertx.core.Context;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scandium's PSK lookup: identity = device id, key = the device's DTLS key (or, for a device
 * provisioned before DTLS keys existed, its token), derived again from the server key and the
 * stored salt ({@link DeviceRegistry#dtlsKey}). The key is the UTF-8 bytes of the text the device
 * was given, so a device maker can pass it as is to a DTLS library's PSK option.
 *
 * <p>Asynchronous: {@link #requestPskSecretResult} returns {@code null}, which tells Scandium the
 * answer will come through the result handler; the lookup runs on the Vert.x context and the
 * database behind it on a worker, so no Scandium thread waits for the database. An unknown device
 * gets a {@code null} key, which fails the handshake with {@code unknown_psk_identity}.
 */
final class DevicePskStore implements AdvancedPskStore {

  private static final Logger LOG = LoggerFactory.getLogger(DevicePskStore.class);

  private final DeviceRegistry registry;
  private final Context context;
  private volatile HandshakeResultHandler resultHandler;

  DevicePskStore(DeviceRegistry registry, Context context) {
    this.registry = registry;
    this.context = context;
  }

  @Override
  public boolean hasEcdhePskSupported() {
    return true;
  }

  @Override
  public PskSecretResult requestPskSecretResult(
      ConnectionId cid,
      ServerNames serverName,
      PskPublicInformation identity,
      String hmacAlgorithm,
      SecretKey otherSecret,
      byte[] seed,
      boolean useExtendedMasterSecret) {
    String deviceId = identity.getPublicInfoAsString();
    context.runOnContext(
        v ->
            registry
                .dtlsKey(deviceId)
                .onComplete(
                    key -> {
                      if (key.failed()) {
                        LOG.warn(
                            "PSK lookup of {} failed, handshake refused: {}",
                            deviceId,
                            key.cause().getMessage());
                      }
                      resultHandler.apply(
                          new PskSecretResult(
                              cid, identity, key.succeeded() ? secret(key.result()) : null));
                    }));
    return null;
  }

  private static SecretKey secret(Optional<String> key) {
    return key.map(k -> SecretUtil.create(k.getBytes(StandardCharsets.UTF_8), "PSK")).orElse(null);
  }

  /** Only clients pick an identity; this store serves the server side. */
  @Override
  public PskPublicInformation getIdentity(InetSocketAddress peerAddress, ServerNames virtualHost) {
    return null;
  }

  @Override
  public void setResultHandler(HandshakeResultHandler resultHandler) {
    this.resultHandler = resultHandler;
  }
}
