package io.aftercare.platform.live;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** The text/event-stream framing of what {@link LiveHub} sends. */
final class LiveEvents {

  /** A comment line: keeps proxies and load balancers from closing an idle stream. */
  static final Buffer PING = Buffer.buffer(": ping\n\n", StandardCharsets.UTF_8.name());

  /** The first bytes of every stream: how long the browser waits before reconnecting. */
  static final Buffer OPENING = Buffer.buffer("retry: 3000\n\n", StandardCharsets.UTF_8.name());

  private LiveEvents() {}

  /** An event named {@code name} with {@code json} (one line) as its data. */
  static Buffer event(String name, String json) {
    return Buffer.buffer("event: " + name + "\ndata: " + json + "\n\n", "UTF-8");
  }
}
