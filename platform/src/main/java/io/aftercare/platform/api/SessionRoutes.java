package io.aftercare.platform.api;

import io.aftercare.platform.audit.AuditLog;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.aftercare.platform.staff.StaffDirectory;
import io.aftercare.platform.staff.StaffPrincipal;
import io.aftercare.platform.staff.StaffSessions;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * {@code /api/v1/session}: the console exchanges a staff token for an HttpOnly, SameSite=Strict
 * session cookie (docs/console.md). The token is checked like a bearer token and never stored,
 * logged or audited.
 */
final class SessionRoutes {

  /** Body of {@code POST /session}. */
  record SignIn(String token) {}

  /** What the console keeps of its session; the cookie itself is out of the page's reach. */
  record SessionView(String name, String role, String csrfToken, Instant expiresAt) {
    static SessionView of(StaffSessions.Session session) {
      return new SessionView(
          session.staff().name(),
          session.staff().role().wireName(),
          session.csrfToken(),
          session.expiresAt());
    }
  }

  private final StaffDirectory staff;
  private final StaffSessions sessions;
  private final AuditLog audit;
  private final StaffAccess access;

  SessionRoutes(StaffDirectory staff, StaffSessions sessions, AuditLog audit, StaffAccess access) {
    this.staff = staff;
    this.sessions = sessions;
    this.audit = audit;
    this.access = access;
  }

  /** Sign-in: mounted ahead of authentication, since the caller has no session yet. */
  void mountSignIn(Router api) {
    api.post("/session").handler(this::signIn);
  }

  /** Reading and ending the session: mounted behind authentication. */
  void mount(Router api) {
    api.get("/session").handler(this::current);
    api.delete("/session").handler(this::signOut);
  }

  private void signIn(RoutingContext ctx) {
    // Another site could otherwise sign the browser in as the attacker (login CSRF): the body is
    // read whatever its content type, so a plain HTML form could post it.
    String origin = ctx.request().getHeader("origin");
    if (origin != null && !SameOrigin.matches(origin, ctx.request())) {
      throw new ServiceException(Failure.FORBIDDEN, "cross-origin request refused");
    }
    if (access.backingOff(ctx)) {
      return;
    }
    SignIn request = ApiJson.read(ctx, SignIn.class);
    if (request.token() == null || request.token().isBlank()) {
      throw new ServiceException(Failure.UNAUTHENTICATED, "invalid staff token");
    }
    String from = StaffAccess.remoteAddress(ctx);
    staff
        .authenticate(request.token())
        .recover(
            refused -> {
              // Failed sign-ins are audited in aggregate per address (FailedAuthentication), not
              // one row each: a guessing attack must not grow the audit log at its own pace.
              return Future.<StaffPrincipal>failedFuture(
                  new ServiceException(Failure.UNAUTHENTICATED, "invalid staff token"));
            })
        .compose(principal -> sessions.start(principal, from))
        .onSuccess(
            started -> {
              ctx.response().addCookie(cookie(ctx, started.cookieValue()));
              ApiJson.send(ctx, 201, SessionView.of(started.session()));
            })
        .onFailure(error -> access.failedAuthentication(ctx, error));
  }

  private void current(RoutingContext ctx) {
    StaffSessions.Session session = StaffAccess.session(ctx).orElseThrow(SessionRoutes::noSession);
    ApiJson.send(ctx, 200, SessionView.of(session));
  }

  private void signOut(RoutingContext ctx) {
    StaffSessions.Session session = StaffAccess.session(ctx).orElseThrow(SessionRoutes::noSession);
    sessions
        .end(session, StaffAccess.remoteAddress(ctx))
        .onSuccess(
            ended -> {
              ctx.response().addCookie(cookie(ctx, "").setMaxAge(0));
              ctx.response().setStatusCode(204).end();
            })
        .onFailure(ctx::fail);
  }

  /** The session cookie: Secure only over TLS, or a plain-HTTP console could never sign in. */
  private static Cookie cookie(RoutingContext ctx, String value) {
    return Cookie.cookie(StaffAccess.SESSION_COOKIE, value)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT)
        .setSecure(ctx.request().isSSL());
  }

  private static ServiceException noSession() {
    return new ServiceException(
        Failure.UNAUTHENTICATED, "no console session: this request came with a bearer token");
  }
}
