package io.aftercare.platform.notify;

import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * E-mail over SMTP with the Vert.x mail client. {@link #send} waits for the server's answer: it
 * runs on the notifier's own thread, never on an event loop.
 */
final class SmtpMail implements Channel, AutoCloseable {

  private static final long TIMEOUT_SECONDS = 30;

  private final MailClient client;
  private final String from;

  SmtpMail(Vertx vertx, NotificationSettings.Email settings) {
    boolean login = settings.username() != null && !settings.username().isBlank();
    MailConfig config =
        new MailConfig()
            .setHostname(settings.host())
            .setPort(settings.port())
            .setStarttls(settings.startTls() ? StartTLSOptions.REQUIRED : StartTLSOptions.OPTIONAL)
            .setLogin(login ? LoginOption.REQUIRED : LoginOption.DISABLED);
    if (login) {
      config.setUsername(settings.username()).setPassword(settings.password());
    }
    this.client = MailClient.create(vertx, config);
    this.from = settings.from();
  }

  @Override
  public void send(String target, String title, String body) throws Exception {
    List<String> recipients =
        Arrays.stream(target.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    MailMessage message =
        new MailMessage().setFrom(from).setTo(recipients).setSubject(title).setText(body);
    try {
      client
          .sendMail(message)
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  @Override
  public void close() {
    // Closing only drops idle pooled connections: there is nothing to wait for.
    client.close();
  }
}
