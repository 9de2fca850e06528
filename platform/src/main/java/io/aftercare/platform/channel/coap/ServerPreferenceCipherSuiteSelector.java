package io.aftercare.platform.channel.coap;

import java.util.List;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuiteParameters;
import org.eclipse.californium.scandium.dtls.cipher.DefaultCipherSuiteSelector;

/**
 * Picks the DTLS cipher suite in the server's order of preference instead of the client's (as
 * Scandium's default does): a device listing plain PSK before ECDHE-PSK still gets ECDHE-PSK, and
 * with it forward secrecy, whenever it offers it.
 */
final class ServerPreferenceCipherSuiteSelector extends DefaultCipherSuiteSelector {

  private final List<CipherSuite> preference;

  /**
   * @param preference the suites the server offers, most preferred first
   */
  ServerPreferenceCipherSuiteSelector(List<CipherSuite> preference) {
    this.preference = List.copyOf(preference);
  }

  @Override
  public boolean select(CipherSuiteParameters parameters) {
    List<CipherSuite> common = parameters.getCipherSuites();
    for (CipherSuite suite : preference) {
      if (common.contains(suite) && select(suite, parameters)) {
        return true;
      }
    }
    // Nothing in common: the default reports the mismatch for the handshake's alert and log.
    return super.select(parameters);
  }
}
