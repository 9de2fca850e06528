package io.aftercare.platform.notify;

/** Where notifications go: called on the notifier's own thread, so it may block. */
interface Channel {

  /** A send that must not be retried (refused address, invalid recipient). */
  final class Refused extends Exception {
    Refused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Sends one message, returning when the receiver accepted it.
   *
   * @param target the e-mail recipients (comma-separated); ignored by the webhook
   * @throws Refused when retrying cannot help
   * @throws Exception when a later attempt may succeed
   */
  void send(String target, String title, String body) throws Exception;
}
