package io.aftercare.platform.api;

import io.aftercare.platform.audit.AuditEntry;
import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.security.FailedAuthentication;
import io.aftercare.platform.staff.Role;
import io.aftercare.platform.staff.StaffDirectory;
import io.aftercare.platform.staff.StaffPrincipal;
import io.aftercare.platform.staff.StaffSessions;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling the staff API and what they may do: authenticates every {@code /api/v1} request by
 * its bearer token or, failing a bearer, by the console's session cookie, and checks roles per
 * route. A refused privileged action is audited.
 *
 * <p>A cookie is sent by the browser whoever made the page, so a cookie-authenticated request that
 * changes state must also prove it came from the console: the session's CSRF token in {@code
 * X-CSRF-Token}, which another site cannot read, and no foreign {@code Origin}. A bearer token is
 * never sent on its own by a browser, so bearer calls need neither.
 *
 * <p>A wrong bearer token counts against the caller's address; an address backing off after too
 * many is answered 429 with Retry-After before its credential is looked at ({@link
 * FailedAuthentication}).
 */
final class StaffAccess {

  static final String SESSION_COOKIE = "aftercare_session";
  static final String CSRF_HEADER = "x-csrf-token";
  private static final String PRINCIPAL = "aftercare.staff";
  private static final String SESSION = "aftercare.session";
  private static final Set<HttpMethod> STATE_CHANGING =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private final StaffDirectory staff;
  private final StaffSessions sessions;
  private final AuditLog audit;
  private final FailedAuthentication failures;

  StaffAccess(
      StaffDirectory staff, StaffSessions sessions, AuditLog audit, FailedAuthentication failures) {
    this.staff = staff;
    this.sessions = sessions;
    this.audit = audit;
    this.failures = failures;
  }

  /** Route handler: authenticates, then passes the request on. */
  void authenticate(RoutingContext ctx) {
    if (backingOff(ctx)) {
      return;
    }
    String header = ctx.request().getHeader("authorization");
    Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
    if (header == null && cookie != null) {
      authenticateSession(ctx, cookie.getValue());
      return;
    }
    if (header == null) {
      // No credential at all is not a guess (the console asks GET /session before signing in):
      // refused, not counted, or an office behind one address would back off for page loads.
      ctx.fail(new ServiceException(Failure.UNAUTHENTICATED, "missing or invalid bearer token"));
      return;
    }
    String bearer =
        header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    staff
        .authenticate(bearer)
        .onSuccess(
            principal -> {
              ctx.put(PRINCIPAL, principal);
              ctx.next();
            })
        .onFailure(error -> failedAuthentication(ctx, error));
  }

  /**
   * Answers 429 if the caller's address is backing off after failed authentications, without
   * looking at its credential; returns whether it did.
   */
  boolean backingOff(RoutingContext ctx) {
    Optional<Duration> wait =
        failures.refusal(FailedAuthentication.Channel.HTTP, remoteAddress(ctx));
    if (wait.isEmpty()) {
      return false;
    }
    long seconds = FailedAuthentication.seconds(wait.get());
    ctx.response().putHeader("retry-after", Long.toString(seconds));
    Problems.send(
        ctx,
        429,
        "Too Many Requests",
        "too many failed authentications from this address: retry in " + seconds + " s");
    return true;
  }

  /** Fails the request; a refused credential also counts against the caller's address. */
  void failedAuthentication(RoutingContext ctx, Throwable error) {
    if (ServiceException.of(error).failure() == Failure.UNAUTHENTICATED) {
      failures.failed(FailedAuthentication.Channel.HTTP, remoteAddress(ctx));
    }
    ctx.fail(error);
  }

  private void authenticateSession(RoutingContext ctx, String cookieValue) {
    sessions
        .find(cookieValue)
        .onSuccess(
            found -> {
              if (found.isEmpty()) {
                // Not counted as a failed authentication: a console left open after its session
                // expired keeps sending the cookie, and staff behind one NAT address would all
                // back off for it; a 256-bit cookie is not worth guessing anyway.
                ctx.fail(
                    new ServiceException(
                        Failure.UNAUTHENTICATED, "session expired or ended: sign in again"));
                return;
              }
              StaffSessions.Session session = found.get();
              if (STATE_CHANGING.contains(ctx.request().method())) {
                String refusal = forgeryRefusal(ctx, session);
                if (refusal != null) {
                  refuseForgery(ctx, session, refusal);
                  return;
                }
              }
              ctx.put(PRINCIPAL, session.staff());
              ctx.put(SESSION, session);
              ctx.next();
            })
        .onFailure(ctx::fail);
  }

  /** Why a state-changing cookie request may be forged, or null when it may not. */
  private static String forgeryRefusal(RoutingContext ctx, StaffSessions.Session session) {
    String origin = ctx.request().getHeader("origin");
    if (origin != null && !SameOrigin.matches(origin, ctx.request())) {
      return "cross-origin request refused";
    }
    String csrf = ctx.request().getHeader(CSRF_HEADER);
    if (csrf == null
        || !MessageDigest.isEqual(
            csrf.getBytes(StandardCharsets.UTF_8),
            session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
      return "missing or wrong CSRF token";
    }
    return null;
  }

  private void refuseForgery(RoutingContext ctx, StaffSessions.Session session, String refusal) {
    audit.record(
        AuditEntry.of(
                session.staff().name(),
                "session.forgery",
                ctx.request().method().name() + " " + ctx.request().path(),
                AuditEntry.Outcome.DENIED,
                remoteAddress(ctx))
            .withDetail(Map.of("session", session.id(), "reason", refusal)));
    ctx.fail(new ServiceException(Failure.FORBIDDEN, refusal));
  }

  /** The session the request was authenticated by, if it came with the console's cookie. */
  static Optional<StaffSessions.Session> session(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(SESSION));
  }

  static StaffPrincipal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  static String remoteAddress(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null
        ? null
        : ctx.request().remoteAddress().hostAddress();
  }

  /** The audit entry of an action {@code by} was allowed to take. */
  static AuditEntry allowed(RoutingContext ctx, StaffPrincipal by, String action, String target) {
    return AuditEntry.of(by.name(), action, target, AuditEntry.Outcome.ALLOWED, remoteAddress(ctx));
  }

  /**
   * Checks that the caller has at least {@code required}; if not, audits the refusal of {@code
   * action} and throws 403.
   */
  StaffPrincipal require(RoutingContext ctx, Role required, String action, String target) {
    StaffPrincipal principal = principal(ctx);
    if (principal.role().atLeast(required)) {
      return principal;
    }
    audit.record(
        AuditEntry.of(
                principal.name(), action, target, AuditEntry.Outcome.DENIED, remoteAddress(ctx))
            .withDetail(
                Map.of("role", principal.role().wireName(), "required", required.wireName())));
    throw new ServiceException(
        Failure.FORBIDDEN, "this needs the " + required.wireName() + " role");
  }
}
