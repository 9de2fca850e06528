package io.aftercare.platform.config;

/** The configuration cannot be used; the message says which key or file is at fault. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
