package io.aftercare.simulator.load;

import java.util.concurrent.CompletionStage;

/**
 * One load-test device on a non-blocking client. Messages submitted while the in-flight window is
 * full wait in a queue, still carrying their intended send time.
 */
interface LoadConnection {

  /** Completes when the device is connected, exceptionally when it could not connect. */
  CompletionStage<Void> connect();

  /** Sends (or queues) a message; callable from any thread. */
  void submit(LoadMessage message);

  /** Messages sent or queued and not yet acknowledged or failed. */
  int outstanding();

  /** Gives up on what is still outstanding (counted as failed) and closes. */
  CompletionStage<Void> close();

  DeviceTally tally();
}
