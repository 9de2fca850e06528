package io.aftercare.platform.channel.coap;

import io.aftercare.platform.security.FailedAuthentication;
import java.net.InetSocketAddress;
import java.util.Set;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.DtlsHandshakeTimeoutException;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.ResumingServerHandshaker;
import org.eclipse.californium.scandium.dtls.ServerHandshaker;
import org.eclipse.californium.scandium.dtls.SessionAdapter;

/**
 * Failed authentication on the DTLS door: a handshake that fails on an unknown PSK identity or a
 * wrong key counts against the peer's address, and a handshake from an address backing off after
 * too many is aborted as it starts (the peer gets an access_denied alert and no session) without
 * its key being looked up. Handshakes only start after the cookie exchange, so the address is the
 * peer's own, not a spoofed one.
 *
 * <p>A wrong key shows no alert: the client's Finished cannot be decrypted and is discarded, as
 * DTLS discards every record that fails its check, so the server's flight 4 (ServerHello to
 * ServerHelloDone) times out. That timeout of a full handshake is counted as a failure; a client
 * that vanishes at exactly that point is counted too, which the free failures absorb.
 */
final class DtlsAuthAccounting extends SessionAdapter {

  /** The alerts of a wrong credential (not of a lost packet or a peer that went away). */
  private static final Set<AlertDescription> CREDENTIAL_ALERTS =
      Set.of(
          AlertDescription.UNKNOWN_PSK_IDENTITY,
          AlertDescription.DECRYPT_ERROR,
          AlertDescription.BAD_RECORD_MAC);

  /** The server's flight of a full handshake after which the client proves its key. */
  private static final int SERVER_HELLO_FLIGHT = 4;

  private final FailedAuthentication failures;

  DtlsAuthAccounting(FailedAuthentication failures) {
    this.failures = failures;
  }

  @Override
  public void handshakeStarted(Handshaker handshaker) throws HandshakeException {
    if (failures
        .refusal(FailedAuthentication.Channel.COAP, address(handshaker.getPeerAddress()))
        .isPresent()) {
      throw new HandshakeException(
          "backing off after failed authentications",
          new AlertMessage(AlertMessage.AlertLevel.FATAL, AlertDescription.ACCESS_DENIED));
    }
  }

  @Override
  public void handshakeFailed(Handshaker handshaker, Throwable error) {
    if (wrongCredential(handshaker, error)) {
      failures.failed(FailedAuthentication.Channel.COAP, address(handshaker.getPeerAddress()));
    }
  }

  private static boolean wrongCredential(Handshaker handshaker, Throwable error) {
    if (error instanceof HandshakeException refused) {
      return refused.getAlert() != null
          && CREDENTIAL_ALERTS.contains(refused.getAlert().getDescription());
    }
    return error instanceof DtlsHandshakeTimeoutException timeout
        && timeout.getFlightNumber() == SERVER_HELLO_FLIGHT
        && handshaker instanceof ServerHandshaker
        && !(handshaker instanceof ResumingServerHandshaker);
  }

  private static String address(InetSocketAddress peer) {
    return peer == null || peer.getAddress() == null ? null : peer.getAddress().getHostAddress();
  }
}
