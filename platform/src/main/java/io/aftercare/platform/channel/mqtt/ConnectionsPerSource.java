package io.aftercare.platform.channel.mqtt;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Open MQTT sockets per client IP address, shared by every server instance of the gateway. */
final class ConnectionsPerSource {

  private final ConcurrentMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

  /** Counts a new socket from {@code source}; returns how many are open from it, this one too. */
  int opened(InetAddress source) {
    return open.merge(source, 1, Integer::sum);
  }

  void closed(InetAddress source) {
    open.computeIfPresent(source, (address, count) -> count == 1 ? null : count - 1);
  }
}
