package io.aftercare.platform.channel.coap;

import org.eclipse.californium.core.network.ExtendedCoapStackFactory;
import org.eclipse.californium.core.network.Outbox;
import org.eclipse.californium.core.network.stack.BaseCoapStack;
import org.eclipse.californium.core.network.stack.CoapStack;
import org.eclipse.californium.core.network.stack.CongestionControlLayer;
import org.eclipse.californium.core.network.stack.ExchangeCleanupLayer;
import org.eclipse.californium.core.network.stack.Layer;
import org.eclipse.californium.core.network.stack.ObserveLayer;
import org.eclipse.californium.elements.EndpointContextMatcher;
import org.eclipse.californium.elements.config.Configuration;

/**
 * Builds the CoAP stack of the UDP and DTLS endpoints: Californium's own UDP stack ({@code
 * CoapUdpStack}: exchange clean-up, observe, blockwise, reliability) with the blockwise layer
 * replaced by {@link GatedBlockwiseLayer}.
 */
final class GatedStackFactory implements ExtendedCoapStackFactory {

  private final Block1Gate gate;

  GatedStackFactory(Block1Gate gate) {
    this.gate = gate;
  }

  /** Required by the interface, though deprecated there; Californium calls the other one. */
  @Override
  @SuppressWarnings("deprecation")
  public CoapStack createCoapStack(
      String protocol,
      String tag,
      Configuration config,
      Outbox outbox,
      Object customStackArgument) {
    return createCoapStack(protocol, tag, config, null, outbox, customStackArgument);
  }

  @Override
  public CoapStack createCoapStack(
      String protocol,
      String tag,
      Configuration config,
      EndpointContextMatcher matcher,
      Outbox outbox,
      Object customStackArgument) {
    return new GatedStack(tag, config, matcher, outbox, gate);
  }

  private static final class GatedStack extends BaseCoapStack {
    GatedStack(
        String tag,
        Configuration config,
        EndpointContextMatcher matcher,
        Outbox outbox,
        Block1Gate gate) {
      super(outbox);
      setLayers(
          new Layer[] {
            new ExchangeCleanupLayer(config),
            new ObserveLayer(config),
            new GatedBlockwiseLayer(tag, config, matcher, gate),
            CongestionControlLayer.newImplementation(tag, config)
          });
    }
  }
}
