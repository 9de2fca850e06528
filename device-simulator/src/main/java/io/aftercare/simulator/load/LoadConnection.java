package io.aftercare.simulator.load;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One load-test device on a non-blocking client. Messages submitted while the in-flight window is
 * full wait in a queue, still carrying their intended send time.
 */
interface LoadConnection {

  /** Completes when the device is connected, exceptionally when it could not connect. */
  CompletionStage<Void> connect();

  /**
   * The thread {@link #submit} and {@link #flush} must run on. The scheduler hands each tick's
   * messages to an executor in one task, so connections sharing one share the hand-over.
   */
  Executor executor();

  /** Sends (or queues) a message; on {@link #executor()} only. Its bytes may wait for a flush. */
  void submit(LoadMessage message);

  /** Pushes out what the submits of this tick wrote; on {@link #executor()} only. */
  void flush();

  /** Messages submitted and not yet acknowledged or failed. */
  int outstanding();

  /** Gives up on what is still outstanding (counted as failed) and closes. */
  CompletionStage<Void> close();

  DeviceTally tally();
}
