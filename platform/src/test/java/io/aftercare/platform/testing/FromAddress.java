package io.aftercare.platform.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.SocketFactory;

/**
 * Clients that connect from a chosen loopback address ({@code 127.0.0.2} and up all reach a server
 * on {@code 127.0.0.1} on Linux), for tests of what the server keeps per source address.
 */
public final class FromAddress {

  private FromAddress() {}

  /** An HTTP answer read off the socket: status, headers (lower-case names) and body. */
  public record HttpAnswer(int status, Map<String, String> headers, String body) {}

  /**
   * One HTTP/1.1 request over a fresh socket bound to {@code localAddress}, {@code Connection:
   * close}.
   *
   * @param headers extra request headers, e.g. authorization
   */
  public static HttpAnswer http(
      String localAddress,
      int port,
      String method,
      String path,
      Map<String, String> headers,
      String body) {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1:").append(port).append("\r\n");
    head.append("Connection: close\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    if (body != null) {
      head.append("Content-Type: application/json\r\n");
      head.append("Content-Length: ").append(content.length).append("\r\n");
    }
    head.append("\r\n");
    try (Socket socket = socket(localAddress, port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(content);
      out.flush();
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A connected socket whose local end is {@code localAddress}. */
  public static Socket socket(String localAddress, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    return socket;
  }

  /** For Paho's {@code setSocketFactory}: its sockets connect from {@code localAddress}. */
  public static SocketFactory socketFactory(String localAddress) {
    return new SocketFactory() {
      @Override
      public Socket createSocket() throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        return socket;
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress local, int localPort)
          throws IOException {
        return connected(new InetSocketAddress(host, port));
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
      }

      @Override
      public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
          throws IOException {
        return connected(new InetSocketAddress(host, port));
      }

      private Socket connected(InetSocketAddress remote) throws IOException {
        Socket socket = createSocket();
        socket.connect(remote, 10_000);
        return socket;
      }
    };
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toByteArray();
  }

  private static HttpAnswer parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    return new HttpAnswer(status, headers, text.substring(end + 4));
  }
}
