package io.aftercare.simulator.link;

/** A device could not connect or the platform did not confirm a message. */
public final class LinkException extends Exception {

  public LinkException(String message) {
    super(message);
  }

  public LinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
