package io.aftercare.simulator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.simulator.link.DeviceSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credentials file keeps tokens and DTLS keys, and still reads files of earlier runs. */
class CredentialsTest {

  @TempDir Path dir;

  @Test
  void tokensAndDtlsKeysSurviveASaveAndALoad() {
    Path file = dir.resolve("credentials.json");
    Credentials written = Credentials.open(file);
    written.put("d1", new DeviceSecrets("token-1", "key-1"));
    written.save();

    DeviceSecrets read = Credentials.open(file).secrets("d1");

    assertThat(read).isEqualTo(new DeviceSecrets("token-1", "key-1"));
    assertThat(read.dtlsPsk()).isEqualTo("key-1");
  }

  @Test
  void aFileOfTokensAloneLoadsAndItsDevicesUseTheTokenAsPsk() throws Exception {
    Path file = Files.writeString(dir.resolve("old.json"), "{\"d1\":\"token-1\"}");

    DeviceSecrets read = Credentials.open(file).secrets("d1");

    assertThat(read).isEqualTo(new DeviceSecrets("token-1", null));
    assertThat(read.dtlsPsk()).isEqualTo("token-1");
  }
}
