package io.aftercare.platform.error;

/**
 * Why a request failed, independent of protocol. Each channel maps these once: MQTT to reason codes
 * ({@code MqttReasonCodes}), HTTP to problem+json statuses, CoAP to response codes.
 */
public enum Failure {
  /** The input breaks the contract; the message says how. */
  INVALID_INPUT,
  /** Credentials missing or wrong. */
  UNAUTHENTICATED,
  /** Authenticated, but not allowed to do this (another device's topic, a role too low). */
  FORBIDDEN,
  NOT_FOUND,
  /** The thing already exists or the state forbids the change. */
  CONFLICT,
  /** The write queue is full: the client should slow down and retry. */
  OVERLOADED,
  /** The database cannot commit right now: nothing was stored. */
  STORE_UNAVAILABLE,
  /** A bug or an unexpected condition; details are logged, not returned. */
  INTERNAL
}
