package io.aftercare.platform.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of personal data a device log may hold is replaced by its marker, and only that. */
class LogRedactionTest {

  private static LogRedaction.Redacted redact(String log) {
    return LogRedaction.redact(log);
  }

  @Test
  void wifiNetworkNamesAreRedactedQuotedOrNot() {
    LogRedaction.Redacted redacted =
        redact("wifi: associated ssid=\"Smith Family 5G\" ch 36\nroam to SSID: GuestNet rssi -61");
    assertThat(redacted.text())
        .isEqualTo("wifi: associated ssid=[ssid] ch 36\nroam to SSID: [ssid] rssi -61");
    assertThat(redacted.counts()).isEqualTo(Map.of("ssid", 2));
  }

  @Test
  void emailAddressesAreRedacted() {
    LogRedaction.Redacted redacted = redact("push token bound to jane.doe+home@example.co.uk ok");
    assertThat(redacted.text()).isEqualTo("push token bound to [email] ok");
    assertThat(redacted.counts()).isEqualTo(Map.of("email", 1));
  }

  @Test
  void ipv4AddressesAreRedactedButNotVersionsOrTimes() {
    LogRedaction.Redacted redacted =
        redact(
            "2026-12-07T09:10:55Z dhcp lease 192.168.1.23 gw 192.168.1.1 fw 2.1.0 uptime 10:15:30");
    assertThat(redacted.text())
        .isEqualTo("2026-12-07T09:10:55Z dhcp lease [ipv4] gw [ipv4] fw 2.1.0 uptime 10:15:30");
    assertThat(redacted.counts()).isEqualTo(Map.of("ipv4", 2));
  }

  @Test
  void ipv6AddressesAreRedactedInFullAndCompressedForms() {
    LogRedaction.Redacted redacted =
        redact(
            "slaac 2001:0db8:85a3:0000:0000:8a2e:0370:7334 link fe80::1ff:fe23:4567:890a%wlan0"
                + " dns 2001:db8::1 lo ::1");
    assertThat(redacted.text()).isEqualTo("slaac [ipv6] link [ipv6] dns [ipv6] lo [ipv6]");
    assertThat(redacted.counts()).isEqualTo(Map.of("ipv6", 4));
  }

  @Test
  void macAddressesAreRedactedWithColonsOrDashes() {
    LogRedaction.Redacted redacted =
        redact("bssid 3C:84:6A:1F:22:9B client a4-5e-60-c2-11-0f at 12:00:01");
    assertThat(redacted.text()).isEqualTo("bssid [mac] client [mac] at 12:00:01");
    assertThat(redacted.counts()).isEqualTo(Map.of("mac", 2));
  }

  @Test
  void namesAfterTheirKeysAreRedacted() {
    LogRedaction.Redacted redacted =
        redact("unlocked by user=jdoe via keypad; owner: \"Jane Doe\"; account 'Bob'");
    assertThat(redacted.text())
        .isEqualTo("unlocked by user=[name] via keypad; owner: [name]; account [name]");
    assertThat(redacted.counts()).isEqualTo(Map.of("name", 3));
  }

  @Test
  void aValueAlreadyRedactedIsNotCountedTwice() {
    LogRedaction.Redacted redacted = redact("login user=jane@example.com from 10.0.0.7");
    assertThat(redacted.text()).isEqualTo("login user=[email] from [ipv4]");
    assertThat(redacted.counts()).isEqualTo(Map.of("email", 1, "ipv4", 1));
  }

  @Test
  void aLogWithoutPersonalDataIsLeftAsItIs() {
    String log = "2026-12-07T09:10:55Z INFO firmware 2.1.0 uptime 3600s\nWARN heap free 12%";
    LogRedaction.Redacted redacted = redact(log);
    assertThat(redacted.text()).isEqualTo(log);
    assertThat(redacted.counts()).isEmpty();
  }
}
