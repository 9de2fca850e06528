package io.aftercare.platform.channel.mqtt;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The topic filters one device has subscribed to. A device may subscribe only below its own {@code
 * devices/{id}/} prefix; this also decides whether a message for the device (an error report, a
 * command) has a subscriber.
 */
final class DeviceSubscriptions {

  private final String prefix;
  private final Set<String> filters = new LinkedHashSet<>();

  DeviceSubscriptions(String deviceId) {
    this.prefix = "devices/" + deviceId + "/";
  }

  /** Whether the device may subscribe to {@code filter}. */
  boolean permits(String filter) {
    // Device ids cannot contain '+' or '#', so a filter starting with the literal prefix can only
    // match the device's own topics; "$share/..." and anything else is refused.
    return filter.startsWith(prefix)
        && filter.length() > prefix.length()
        && MqttTopics.isValidFilter(filter);
  }

  /** Whether adding {@code filter} would hold more than {@code max} filters. */
  boolean wouldExceed(String filter, int max) {
    return !filters.contains(filter) && filters.size() >= max;
  }

  void add(String filter) {
    filters.add(filter);
  }

  void remove(String filter) {
    filters.remove(filter);
  }

  boolean matches(String topic) {
    for (String filter : filters) {
      if (matches(filter, topic)) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
        return false;
      }
    }
    return f.length == t.length;
  }
}
