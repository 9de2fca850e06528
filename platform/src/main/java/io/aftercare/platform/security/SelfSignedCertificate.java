package io.aftercare.platform.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's certificate: a self-signed P-256 certificate for {@code localhost} and 127.0.0.1,
 * generated once into the data folder and reused by every later start, so that a device or browser
 * told to trust it keeps trusting it.
 *
 * <p>The JDK's {@code keytool} makes it: the JDK has no public API to sign a certificate, and the
 * alternatives (BouncyCastle's PKIX library, Netty's generator, which needs one of the two) would
 * add a dependency for the demo alone. The key store keytool writes is read back here and turned
 * into the two PEM files the listeners load, then deleted.
 */
final class SelfSignedCertificate {

  private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificate.class);
  private static final String CERTIFICATE_FILE = "tls-certificate.pem";
  private static final String KEY_FILE = "tls-private-key.pem";
  private static final String ALIAS = "aftercare";
  private static final int VALID_DAYS = 825;

  private SelfSignedCertificate() {}

  static ServerCertificate generateOnce(Path dataDir) {
    Path certificate = dataDir.resolve(CERTIFICATE_FILE);
    Path key = dataDir.resolve(KEY_FILE);
    if (Files.exists(certificate) && Files.exists(key)) {
      return new ServerCertificate(certificate, key);
    }
    try {
      Files.createDirectories(dataDir);
      Path store = Files.createTempFile(dataDir, "tls-", ".p12");
      try {
        char[] password = HexFormat.of().formatHex(randomBytes()).toCharArray();
        runKeytool(store, password);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
          keyStore.load(in, password);
        }
        PrivateKey privateKey = (PrivateKey) keyStore.getKey(ALIAS, password);
        Certificate cert = keyStore.getCertificate(ALIAS);
        writeOwnerOnly(key, pem("PRIVATE KEY", privateKey.getEncoded()));
        Path certificateTemp = Files.createTempFile(dataDir, "tls-", ".pem");
        Files.writeString(
            certificateTemp, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
        // Public, unlike the key: devices and tools are given it to trust.
        Files.setPosixFilePermissions(
            certificateTemp, PosixFilePermissions.fromString("rw-r--r--"));
        // Written last and atomically: a certificate file means the pair is complete.
        Files.move(certificateTemp, certificate, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(store);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot generate the self-signed certificate", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the generated certificate", e);
    }
    LOG.info(
        "Generated a self-signed TLS certificate for localhost in {} (clients must trust it)",
        certificate.toAbsolutePath().normalize());
    return new ServerCertificate(certificate, key);
  }

  private static void runKeytool(Path store, char[] password) throws IOException {
    // keytool refuses to write into an existing (empty) file.
    Files.delete(store);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    ProcessBuilder keytoolRun =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                ALIAS,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-sigalg",
                "SHA256withECDSA",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                "-validity",
                Integer.toString(VALID_DAYS),
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass:env",
                "AFTERCARE_KEYTOOL_PASSWORD")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    // The password goes through the environment, never the command line, where ps shows it.
    keytoolRun.environment().put("AFTERCARE_KEYTOOL_PASSWORD", new String(password));
    try {
      Process started = keytoolRun.start();
      started.getOutputStream().close();
      if (!started.waitFor(60, TimeUnit.SECONDS)) {
        started.destroyForcibly();
        throw new IOException("keytool did not finish within 60 s");
      }
      if (started.exitValue() != 0) {
        throw new IOException("keytool failed with exit code " + started.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content, StandardCharsets.US_ASCII);
  }
}
