package io.aftercare.platform.notify;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.platform.config.ConfigException;
import io.aftercare.platform.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules are checked when the platform starts: a typo is an error naming its key. */
class RuleCheckTest {

  private static NotificationSettings settings(Map<String, String> overrides) {
    return new ConfigLoader().load(overrides).notifications();
  }

  @Test
  void theDefaultsHaveNoRulesAndPass() {
    NotificationSettings defaults = settings(Map.of());
    assertThatCode(() -> RuleCheck.check(defaults.rules())).doesNotThrowAnyException();
  }

  @Test
  void aMisspeltSeverityNamesItsKey() {
    NotificationSettings typo =
        settings(
            Map.of(
                "notifications.rules.oncall.severities", "critcal",
                "notifications.rules.oncall.slack", "true"));
    assertThatThrownBy(() -> RuleCheck.check(typo.rules()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("notifications.rules.oncall.severities")
        .hasMessageContaining("critcal");
  }

  @Test
  void anUnknownEventOrCategoryOrARuleSendingNowhereIsRefused() {
    assertThatThrownBy(
            () ->
                RuleCheck.check(
                    settings(
                            Map.of(
                                "notifications.rules.r.events", "alarm.cleared",
                                "notifications.rules.r.slack", "true"))
                        .rules()))
        .hasMessageContaining("notifications.rules.r.events");
    assertThatThrownBy(
            () ->
                RuleCheck.check(
                    settings(
                            Map.of(
                                "notifications.rules.r.categories", "hardware",
                                "notifications.rules.r.email", "a@example.com"))
                        .rules()))
        .hasMessageContaining("notifications.rules.r.categories");
    assertThatThrownBy(
            () ->
                RuleCheck.check(
                    settings(Map.of("notifications.rules.r.deviceTypes", "fridge")).rules()))
        .hasMessageContaining("sends nowhere");
  }
}
