package io.aftercare.domain;

/**
 * A device document that breaks the contract. The message is the reason given back to the device
 * (MQTT 5 reason string, CoAP diagnostic payload, {@code devices/{id}/errors}), so it names the
 * field at fault and never echoes secrets.
 */
public final class InvalidDocumentException extends Exception {

  public InvalidDocumentException(String reason) {
    super(reason, null, false, false);
  }
}
