package io.aftercare.bridge;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Refuses outbound calls to addresses inside the platform's own network (SSRF): loopback, private,
 * link-local (which includes the cloud metadata address 169.254.169.254), unique-local IPv6 (which
 * includes fd00:ec2::254), carrier-grade NAT, multicast and the unspecified address, unless
 * explicitly allowed by configuration.
 *
 * <p>Every address the host resolves to is checked, and the check is repeated before every request.
 * Limit: {@code java.net.http.HttpClient} resolves the name again itself, so a DNS answer that
 * changes between the check and the connection (rebinding with a near-zero TTL) is not caught;
 * pinning would need a custom resolver the JDK's client does not offer. Redirects are never
 * followed, so a checked URL cannot bounce the call elsewhere.
 */
public final class OutboundAddressGuard {

  /** Why an outbound URL was refused. */
  public static final class RefusedException extends Exception {
    RefusedException(String message) {
      super(message, null, false, false);
    }
  }

  private final boolean allowPrivate;

  public OutboundAddressGuard(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  public void check(URI uri) throws RefusedException {
    String scheme = uri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new RefusedException("only http and https URLs are allowed: " + uri);
    }
    String host = uri.getHost();
    if (host == null) {
      throw new RefusedException("URL has no host: " + uri);
    }
    if (allowPrivate) {
      return;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new RefusedException("cannot resolve " + host);
    }
    for (InetAddress address : addresses) {
      if (isInternal(address)) {
        throw new RefusedException(
            host
                + " resolves to the internal address "
                + address.getHostAddress()
                + " (set tickets.outboundAllowPrivate to allow it)");
      }
    }
  }

  static boolean isInternal(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isAnyLocalAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = bytes[0] & 0xff;
      int second = bytes[1] & 0xff;
      // 100.64.0.0/10 carrier-grade NAT, 0.0.0.0/8 "this network".
      return (first == 100 && second >= 64 && second < 128) || first == 0;
    }
    if (address instanceof Inet6Address) {
      // fc00::/7 unique local addresses, e.g. the EC2 metadata service fd00:ec2::254.
      return (bytes[0] & 0xfe) == 0xfc;
    }
    return false;
  }
}
