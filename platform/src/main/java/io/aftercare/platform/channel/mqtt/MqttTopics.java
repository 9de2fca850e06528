package io.aftercare.platform.channel.mqtt;

/** Syntax of MQTT topic names and filters (section 4.7). */
final class MqttTopics {

  private MqttTopics() {}

  /** A topic name: at least one character and no wildcard ([MQTT-3.3.2-2], [MQTT-4.7.3-1]). */
  static boolean isValidName(String topic) {
    return !topic.isEmpty() && topic.indexOf('+') < 0 && topic.indexOf('#') < 0;
  }

  /**
   * A topic filter: at least one character, '+' alone in its level, '#' alone in the last level
   * ([MQTT-4.7.1-1], [MQTT-4.7.1-2]).
   */
  static boolean isValidFilter(String filter) {
    if (filter.isEmpty()) {
      return false;
    }
    String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
        return false;
      }
      if (level.contains("+") && !level.equals("+")) {
        return false;
      }
    }
    return true;
  }
}
