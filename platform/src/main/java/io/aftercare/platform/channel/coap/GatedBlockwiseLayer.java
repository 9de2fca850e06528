package io.aftercare.platform.channel.coap;

import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.stack.BlockwiseLayer;
import org.eclipse.californium.elements.EndpointContextMatcher;
import org.eclipse.californium.elements.config.Configuration;

/**
 * Californium's blockwise layer with a {@link Block1Gate} in front: the first block of a Block1
 * transfer is only passed on (and buffered) once the gate admits it; otherwise the gate's answer
 * goes back at once, instead of 2.31 Continue.
 */
final class GatedBlockwiseLayer extends BlockwiseLayer {

  private final Block1Gate gate;

  GatedBlockwiseLayer(
      String tag, Configuration config, EndpointContextMatcher matcher, Block1Gate gate) {
    // false: no BERT, which is for CoAP over TCP only.
    super(tag, false, config, matcher);
    this.gate = gate;
  }

  @Override
  public void receiveRequest(Exchange exchange, Request request) {
    BlockOption block1 = request.getOptions().getBlock1();
    if (block1 == null) {
      super.receiveRequest(exchange, request);
      return;
    }
    if (!block1.isM()) {
      if (block1.getNum() > 0) {
        gate.lastBlock(request);
      }
      super.receiveRequest(exchange, request);
      return;
    }
    if (block1.getNum() > 0) {
      super.receiveRequest(exchange, request);
      return;
    }
    gate.firstBlock(
        request,
        () -> exchange.execute(() -> super.receiveRequest(exchange, request)),
        refusal -> exchange.execute(() -> respond(exchange, request, refusal)));
  }

  private static void respond(Exchange exchange, Request request, Response refusal) {
    refusal.setDestinationContext(request.getSourceContext());
    exchange.sendResponse(refusal);
  }
}
