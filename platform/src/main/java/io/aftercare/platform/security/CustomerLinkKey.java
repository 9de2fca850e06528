package io.aftercare.platform.security;

import io.aftercare.bridge.BridgeConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key customer links are signed with (docs/customer-api.md): the configured one ({@code
 * tickets.customerCare.linkSecret}), or one derived from the server key ({@link ServerKey}), which
 * is itself kept under the data folder. Deriving it means no second file to back up; configuring
 * one lets an operator revoke every customer link at once without touching device tokens.
 */
public final class CustomerLinkKey {

  private static final String PURPOSE = "aftercare customer links v1";

  private CustomerLinkKey() {}

  /** The bridge's settings with the link key filled in. */
  public static BridgeConfig resolve(BridgeConfig tickets, byte[] serverKey) {
    BridgeConfig.CustomerCare care = tickets.customerCare();
    if (care.linkSecret() != null && !care.linkSecret().isBlank()) {
      return tickets;
    }
    return tickets.withCustomerCare(care.withLinkSecret(derive(serverKey)));
  }

  private static String derive(byte[] serverKey) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(serverKey, "HmacSHA256"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(PURPOSE.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
