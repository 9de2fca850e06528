package io.aftercare.platform.channel.coap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;

/** CoAP uplink counters, exported at {@code /metrics} next to the MQTT ones. */
final class CoapMetrics {

  private final MeterRegistry meters;
  private final Counter requestsStored;
  private final Counter rowsStored;

  CoapMetrics(MeterRegistry meters) {
    this.meters = meters;
    this.requestsStored = meters.counter("aftercare.coap.uplink.stored");
    this.rowsStored = meters.counter("aftercare.coap.uplink.rows");
  }

  void stored(int rows) {
    requestsStored.increment();
    rowsStored.increment(rows);
  }

  /** An uplink answered with an error, by CoAP code, e.g. {@code 4.00} or {@code 5.03}. */
  void refused(ResponseCode code) {
    meters.counter("aftercare.coap.uplink.refused", "code", code.text).increment();
  }
}
