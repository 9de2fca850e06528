package io.aftercare.platform.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Whether a browser's {@code Origin} header names the host the request was sent to.
 *
 * <p>The authority ({@code host[:port]}) is compared, not the scheme: behind a proxy that ends TLS
 * the platform sees {@code http} while the browser's origin says {@code https}. Browsers leave the
 * default port out of both {@code Origin} and {@code Host}, so the two read alike for the same
 * site. A sandboxed page's {@code Origin: null} never matches.
 */
final class SameOrigin {

  private SameOrigin() {}

  static boolean matches(String origin, HttpServerRequest request) {
    HostAndPort own = request.authority();
    if (own == null) {
      return false;
    }
    String authority;
    try {
      authority = new URI(origin).getRawAuthority();
    } catch (URISyntaxException e) {
      return false;
    }
    if (authority == null) {
      return false;
    }
    String expected = own.port() >= 0 ? own.host() + ":" + own.port() : own.host();
    return authority.toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT));
  }
}
