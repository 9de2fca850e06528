package io.aftercare.platform.logs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes personal data from a device's log before staff read it (docs/privacy.md, "Log bundles"):
 * Wi-Fi network names, e-mail addresses, IPv4 and IPv6 addresses, MAC addresses and people's names
 * where a log names them ({@code user=}, {@code owner:}, {@code name "…"}). Each value becomes a
 * marker of its kind ({@code [email]}), so the log still reads as a log. The kinds run in this
 * order: a MAC address or an address inside an e-mail must not be half-taken by a later kind.
 */
public final class LogRedaction {

  /** A redacted text and how many values of each kind it lost. */
  public record Redacted(String text, Map<String, Integer> counts) {}

  private record Kind(String name, Pattern pattern, int valueGroup) {}

  /** A value after its key on the same line: {@code =x}, {@code : "x y"}, {@code 'x'}. */
  private static final String KEYED_VALUE =
      "[ \\t]*[:=]?[ \\t]*(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s,;]+)";

  /** What a value already replaced reads as. */
  private static final Pattern MARKER = Pattern.compile("\\[[a-z0-9]+\\]");

  private static final List<Kind> KINDS =
      List.of(
          // ssid=HomeNet, SSID: "Home Net", connected to ssid 'x', essid=…
          new Kind("ssid", Pattern.compile("(?i)\\b(?:e?ssid|network name)" + KEYED_VALUE), 1),
          new Kind(
              "email",
              Pattern.compile(
                  "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"),
              0),
          new Kind(
              "mac",
              Pattern.compile(
                  "(?i)(?<![0-9a-f:-])[0-9a-f]{2}(?:([:-])[0-9a-f]{2})(?:\\1[0-9a-f]{2}){4}"
                      + "(?![0-9a-f:-])"),
              0),
          new Kind(
              "ipv6",
              Pattern.compile(
                  "(?i)(?<![0-9a-z:.])(?:"
                      + "(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"
                      + "|(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{0,4}::(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{0,4}"
                      + ")(?:%[0-9a-z]+)?(?![0-9a-z:])"),
              0),
          new Kind(
              "ipv4",
              Pattern.compile(
                  "(?<![0-9.])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
                      + "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?![0-9]|\\.[0-9])"),
              0),
          // user=jane.doe, owner: "Jane Doe", name 'Jane', account=…, contact: …
          new Kind(
              "name",
              Pattern.compile(
                  "(?i)\\b(?:user(?:name)?|owner|name|full[_ ]?name|account|contact|customer)"
                      + KEYED_VALUE),
              1));

  private LogRedaction() {}

  public static Redacted redact(String log) {
    String text = log;
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Kind kind : KINDS) {
      Matcher matcher = kind.pattern().matcher(text);
      StringBuilder out = new StringBuilder();
      int found = 0;
      while (matcher.find()) {
        if (MARKER.matcher(valueOf(matcher, kind)).matches()) {
          // Already a marker (e.g. "user=[email]" after the e-mail went): nothing personal left.
          continue;
        }
        String marker = "[" + kind.name() + "]";
        found++;
        String replacement =
            kind.valueGroup() == 0
                ? marker
                : text.substring(matcher.start(), matcher.start(kind.valueGroup())) + marker;
        matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      matcher.appendTail(out);
      text = out.toString();
      if (found > 0) {
        counts.put(kind.name(), found);
      }
    }
    return new Redacted(text, counts);
  }

  private static String valueOf(Matcher matcher, Kind kind) {
    String value = matcher.group(kind.valueGroup());
    return value.length() > 1 && (value.startsWith("\"") || value.startsWith("'"))
        ? value.substring(1, value.length() - 1)
        : value;
  }
}
