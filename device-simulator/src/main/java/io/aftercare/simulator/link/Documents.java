package io.aftercare.simulator.link;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.simulator.command.Command;
import io.aftercare.simulator.command.CommandResult;
import io.aftercare.simulator.device.DeviceEventRecord;
import io.aftercare.simulator.device.Reading;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON documents of docs/device-contract.md, written and read at the simulator's edge. */
public final class Documents {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Documents() {}

  public static byte[] telemetry(Reading reading) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("ts", reading.ts().toString());
    doc.put("metrics", reading.metrics());
    return write(doc);
  }

  public static byte[] event(DeviceEventRecord event) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("ts", event.ts().toString());
    doc.put("type", event.type());
    doc.put("code", event.code());
    if (event.message() != null) {
      doc.put("message", event.message());
    }
    return write(doc);
  }

  public static byte[] result(CommandResult result) {
    return write(result);
  }

  public static Command command(byte[] json) {
    try {
      return JSON.readValue(json, Command.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not a command document", e);
    }
  }

  /**
   * The command documents in a CoAP commands notification: a JSON array of the device's queued
   * commands (empty when there are none), each returned as its own document.
   */
  public static java.util.List<byte[]> commandsOf(byte[] notification) {
    try {
      com.fasterxml.jackson.databind.JsonNode root = JSON.readTree(notification);
      java.util.List<byte[]> documents = new java.util.ArrayList<>();
      if (root != null && root.isArray()) {
        for (com.fasterxml.jackson.databind.JsonNode command : root) {
          documents.add(JSON.writeValueAsBytes(command));
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException("not a commands notification", e);
    }
  }

  private static byte[] write(Object doc) {
    try {
      return JSON.writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
