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
    this.requestsStored =
        Counter.builder("aftercare.coap.uplink.stored")
            .description("CoAP telemetry uplinks stored")
            .register(meters);
    this.rowsStored =
        Counter.builder("aftercare.coap.uplink.rows")
            .description("Telemetry rows stored from CoAP uplinks")
            .register(meters);
  }

  void stored(int rows) {
    requestsStored.increment();
    rowsStored.increment(rows);
  }

  /** An uplink answered with an error, by CoAP code, e.g. {@code 4.00} or {@code 5.03}. */
  void refused(ResponseCode code) {
    Counter.builder("aftercare.coap.uplink.refused")
        .description("CoAP uplinks answered with an error, by CoAP code")
        .tag("code", code.text)
        .register(meters)
        .increment();
  }
}
