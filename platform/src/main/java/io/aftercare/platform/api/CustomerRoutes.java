package io.aftercare.platform.api;

import io.aftercare.bridge.CustomerCases;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The customer-facing API for the vendor's consumer app (docs/customer-api.md): the customer's case
 * under {@code /api/v1/customer/case}, authenticated by the case's link token in the {@code
 * Authorization: Bearer} header instead of a staff token. The token stays out of URLs, so it never
 * lands in access logs, proxies, browser history or a problem's {@code instance}. Mounted on the
 * root router ahead of the staff API, with its own small body limit and the same problem+json
 * answers.
 */
final class CustomerRoutes {

  static final String CASE_PATH = "/api/v1/customer/case";
  private static final long MAX_BODY_BYTES = 4 * 1024;

  private final CustomerCases cases;
  private final BridgeCalls calls;

  CustomerRoutes(CustomerCases cases, BridgeCalls calls) {
    this.cases = cases;
    this.calls = calls;
  }

  void mount(Router root) {
    root.get(CASE_PATH).handler(this::view).failureHandler(Problems::handle);
    post(root, "/quote-decision").handler(this::decideQuote);
    post(root, "/acceptance").handler(this::acceptRepair);
    post(root, "/satisfaction").handler(this::rate);
  }

  private static io.vertx.ext.web.Route post(Router root, String suffix) {
    return root.post(CASE_PATH + suffix)
        .failureHandler(Problems::handle)
        .handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
  }

  /**
   * @param decision accept or reject
   */
  record QuoteDecisionBody(Long quoteId, String decision, String comment) {}

  record AcceptanceBody(Boolean accepted, String comment) {}

  /**
   * @param category overall, response_time, repair_quality, technician, communication or price
   */
  record SatisfactionBody(Integer score, String comment, String category) {}

  private void view(RoutingContext ctx) {
    String token = token(ctx);
    calls.answer(ctx, 200, () -> cases.view(token));
  }

  private void decideQuote(RoutingContext ctx) {
    String token = token(ctx);
    QuoteDecisionBody body = ApiJson.read(ctx, QuoteDecisionBody.class);
    calls.answer(
        ctx, 200, () -> cases.decideQuote(token, body.quoteId(), body.decision(), body.comment()));
  }

  private void acceptRepair(RoutingContext ctx) {
    String token = token(ctx);
    AcceptanceBody body = ApiJson.read(ctx, AcceptanceBody.class);
    calls.answer(ctx, 200, () -> cases.acceptRepair(token, body.accepted(), body.comment()));
  }

  private void rate(RoutingContext ctx) {
    String token = token(ctx);
    SatisfactionBody body = ApiJson.read(ctx, SatisfactionBody.class);
    calls.answer(ctx, 200, () -> cases.rate(token, body.score(), body.comment(), body.category()));
  }

  /** The link token of the {@code Authorization: Bearer} header; checked by the bridge. */
  static String token(RoutingContext ctx) {
    String header = ctx.request().getHeader("authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ServiceException(Failure.UNAUTHENTICATED, "the case's link token is required");
    }
    return header.substring(7).trim();
  }
}
