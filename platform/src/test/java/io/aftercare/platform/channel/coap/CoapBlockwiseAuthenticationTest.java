package io.aftercare.platform.channel.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.platform.testing.ApiClient;
import io.aftercare.platform.testing.TestPlatform;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.serialization.UdpDataParser;
import org.eclipse.californium.core.network.serialization.UdpDataSerializer;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Block1 uploads are authenticated on their first block and capped in number, over real UDP: the
 * first block of a transfer with a bad token gets 4.01 (not 2.31 Continue, which would make the
 * server buffer the rest), and beyond {@code coap.maxOpenTransfers} a new transfer gets 5.03 with
 * Max-Age.
 */
class CoapBlockwiseAuthenticationTest {

  private static final int MAX_OPEN_TRANSFERS = 2;

  /** Exactly one 16-byte block, as every block but the last must be. */
  private static final String FIRST_BLOCK = "{\"metrics\":{\"ab\"";

  private static final AtomicInteger MESSAGE_IDS = new AtomicInteger(1000);
  private static TestPlatform platform;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    platform =
        TestPlatform.start(Map.of("coap.maxOpenTransfers", Integer.toString(MAX_OPEN_TRANSFERS)));
    api = platform.api();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static int coapPort() {
    return platform.platform().coapPort();
  }

  /** One 16-byte block of a Block1 upload, sent from {@code socket}; the server's answer. */
  private static Response sendBlock(
      DatagramSocket socket, String pathAndQuery, int num, boolean more, String block)
      throws Exception {
    Request request = Request.newPost();
    request.setType(Type.CON);
    request.setURI("coap://127.0.0.1:" + coapPort() + pathAndQuery);
    request.setMID(MESSAGE_IDS.incrementAndGet() & 0xFFFF);
    request.setToken(new byte[] {1, 2, 3, (byte) num});
    request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
    // szx 0: 16-byte blocks.
    request.getOptions().setBlock1(0, more, num);
    request.setPayload(block.getBytes(StandardCharsets.UTF_8));
    byte[] bytes = new UdpDataSerializer().getByteArray(request);
    socket.send(
        new DatagramPacket(
            bytes,
            bytes.length,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), coapPort())));
    byte[] buffer = new byte[2048];
    DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
    socket.receive(answer);
    return (Response) new UdpDataParser().parseMessage(Arrays.copyOf(buffer, answer.getLength()));
  }

  private static DatagramSocket socket() throws Exception {
    DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    socket.setSoTimeout(20_000);
    return socket;
  }

  @Test
  void theFirstBlockWithABadTokenIsUnauthorizedNotContinue() throws Exception {
    String id = "bw-bad-1";
    api.provisionDevice(id, "plug");
    try (DatagramSocket socket = socket()) {
      Response answer =
          sendBlock(socket, "/devices/" + id + "/telemetry?token=wrong", 0, true, FIRST_BLOCK);

      assertThat(answer.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
    }
    try (DatagramSocket socket = socket()) {
      Response answer = sendBlock(socket, "/devices/" + id + "/telemetry", 0, true, FIRST_BLOCK);

      assertThat(answer.getCode()).as("no token at all").isEqualTo(ResponseCode.UNAUTHORIZED);
    }
  }

  @Test
  void theFirstBlockWithTheRightTokenGetsContinue() throws Exception {
    String id = "bw-good-1";
    String token = api.provisionDevice(id, "plug");
    try (DatagramSocket socket = socket()) {
      String path = "/devices/" + id + "/telemetry?token=" + token;

      Response first = sendBlock(socket, path, 0, true, FIRST_BLOCK);
      Response last = sendBlock(socket, path, 1, false, ":1}}");

      assertThat(first.getCode()).isEqualTo(ResponseCode.CONTINUE);
      assertThat(last.getCode()).isEqualTo(ResponseCode.CHANGED);
    }
  }

  @Test
  void aTransferBeyondTheCapIsRefusedWithMaxAgeUntilOneFinishes() throws Exception {
    String id = "bw-cap-1";
    String token = api.provisionDevice(id, "plug");
    String path = "/devices/" + id + "/telemetry?token=" + token;
    try (DatagramSocket one = socket();
        DatagramSocket two = socket();
        DatagramSocket three = socket();
        DatagramSocket four = socket()) {
      assertThat(sendBlock(one, path, 0, true, FIRST_BLOCK).getCode())
          .isEqualTo(ResponseCode.CONTINUE);
      assertThat(sendBlock(two, path, 0, true, FIRST_BLOCK).getCode())
          .isEqualTo(ResponseCode.CONTINUE);

      Response refused = sendBlock(three, path, 0, true, FIRST_BLOCK);

      assertThat(refused.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
      assertThat(refused.getOptions().getMaxAge()).isPositive();
      assertThat(sendBlock(one, path, 1, false, ":1}}").getCode()).isEqualTo(ResponseCode.CHANGED);
      assertThat(sendBlock(four, path, 0, true, FIRST_BLOCK).getCode())
          .as("a finished transfer frees its place")
          .isEqualTo(ResponseCode.CONTINUE);
      // Finished, so that the other tests find every place free again.
      assertThat(sendBlock(two, path, 1, false, ":1}}").getCode()).isEqualTo(ResponseCode.CHANGED);
      assertThat(sendBlock(four, path, 1, false, ":1}}").getCode()).isEqualTo(ResponseCode.CHANGED);
    }
  }

  @Test
  void aCaliforniumClientUploadsBlockwiseWithItsTokenAndIsRefusedWithABadOne() throws Exception {
    String id = "bw-client-1";
    String token = api.provisionDevice(id, "plug");
    Configuration small = Configuration.createStandardWithoutFile();
    CoapConfig.register();
    UdpConfig.register();
    small.set(CoapConfig.MAX_MESSAGE_SIZE, 32).set(CoapConfig.PREFERRED_BLOCK_SIZE, 32);
    CoapEndpoint endpoint = CoapEndpoint.builder().setConfiguration(small).build();
    String body = "{\"metrics\":{\"power_w\":12.5,\"voltage_v\":230.1,\"current_a\":0.054}}";
    try {
      CoapResponse refused = post(endpoint, "/devices/" + id + "/telemetry?token=wrong", body);
      CoapResponse stored = post(endpoint, "/devices/" + id + "/telemetry?token=" + token, body);

      assertThat(refused.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
      assertThat(stored.getCode()).isEqualTo(ResponseCode.CHANGED);
      assertThat(platform.count("SELECT count(*) FROM telemetry WHERE device_id = ?", id))
          .isPositive();
    } finally {
      endpoint.destroy();
    }
  }

  private static CoapResponse post(CoapEndpoint endpoint, String pathAndQuery, String body)
      throws Exception {
    CoapClient client = new CoapClient(platform.coapUri() + pathAndQuery);
    client.setEndpoint(endpoint);
    client.setTimeout(20_000L);
    try {
      return client.post(body, MediaTypeRegistry.APPLICATION_JSON);
    } finally {
      client.shutdown();
    }
  }
}
