package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  // The example of the Standard Webhooks specification (and its reference libraries' tests).
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  @Test
  void signsLikeTheSpecificationsExample() {
    assertThat(WebhookSignature.fromSecret(SECRET).sign(ID, TIMESTAMP, BODY)).isEqualTo(EXPECTED);
  }

  @Test
  void verifiesAnyOfSeveralSignaturesAndRejectsTampering() {
    WebhookSignature signature = WebhookSignature.fromSecret(SECRET);
    assertThat(signature.verify(ID, TIMESTAMP, BODY, "v1,b2xkLWtleQ== " + EXPECTED)).isTrue();
    assertThat(signature.verify(ID, TIMESTAMP + 1, BODY, EXPECTED)).isFalse();
    assertThat(signature.verify("msg_other", TIMESTAMP, BODY, EXPECTED)).isFalse();
    assertThat(signature.verify(ID, TIMESTAMP, BODY, "v2," + EXPECTED.substring(3))).isFalse();
    assertThat(signature.verify(ID, TIMESTAMP, BODY, null)).isFalse();
  }

  @Test
  void refusesSecretsNotOfTheWhsecForm() {
    assertThatThrownBy(() -> WebhookSignature.fromSecret("plain-secret"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookSignature.fromSecret("whsec_!!!"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
