package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundAddressGuardTest {

  private final OutboundAddressGuard strict = new OutboundAddressGuard(false);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://10.1.2.3/hook",
        "http://172.16.0.1/hook",
        "http://192.168.1.1/hook",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "ftp://93.184.216.34/hook"
      })
  void refusesInternalAddressesAndOtherSchemes(String url) {
    assertThatThrownBy(() -> strict.check(URI.create(url)))
        .isInstanceOf(OutboundAddressGuard.RefusedException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://93.184.216.34/hook", "http://[2606:4700::1111]/hook"})
  void allowsPublicAddresses(String url) {
    assertThatCode(() -> strict.check(URI.create(url))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://169.254.169.254/"})
  void allowsInternalAddressesOnlyWhenConfigured(String url) {
    assertThatCode(() -> new OutboundAddressGuard(true).check(URI.create(url)))
        .doesNotThrowAnyException();
  }
}
