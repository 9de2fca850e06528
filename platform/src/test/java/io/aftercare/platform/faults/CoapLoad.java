package io.aftercare.platform.faults;

import io.aftercare.platform.testing.CoapDevice;
import java.time.Instant;
import java.util.function.Supplier;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.elements.exception.ConnectorException;

/**
 * A device posting numbered documents as confirmable CoAP requests, one at a time, to wherever
 * {@code baseUri} says the platform listens now. A 2.xx answer is the acknowledgement.
 */
public final class CoapLoad extends NumberedLoad {

  private static final long PAUSE_MS = 20;

  /**
   * How long a request may go unanswered before the device sends its next one, to wherever {@code
   * baseUri} then points: long enough for one retransmission, short enough that a node that died
   * with the request does not stall the device for long.
   */
  private static final long UNANSWERED_MS = 5_000;

  private final Supplier<String> baseUri;
  private final String deviceId;
  private final String token;
  private final DeliveryLedger ledger;

  public CoapLoad(
      Supplier<String> baseUri,
      String deviceId,
      String token,
      Instant base,
      DeliveryLedger ledger) {
    super("coap-load-" + deviceId, base);
    this.baseUri = baseUri;
    this.deviceId = deviceId;
    this.token = token;
    this.ledger = ledger;
  }

  @Override
  void run() {
    String uri = baseUri.get();
    CoapDevice device = CoapDevice.plain(uri);
    try {
      for (long sequence = 1; running; sequence++) {
        if (!uri.equals(baseUri.get())) {
          device.close();
          uri = baseUri.get();
          device = CoapDevice.plain(uri);
        }
        ledger.sent(sequence);
        CoapClient client = device.client("/devices/" + deviceId + "/telemetry?token=" + token);
        client.setTimeout(UNANSWERED_MS);
        try {
          CoapResponse response = client.post(document(sequence), CoapDevice.JSON);
          if (response != null && response.isSuccess()) {
            ledger.acked(sequence);
          }
        } catch (ConnectorException | java.io.IOException e) {
          // Unanswered: the checker judges it by what the database holds.
        } finally {
          client.shutdown();
        }
        Thread.sleep(PAUSE_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      device.close();
    }
  }
}
