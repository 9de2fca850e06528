package io.aftercare.simulator.load;

/**
 * One message of the load schedule.
 *
 * @param intendedNanos when the schedule says it should be sent ({@link System#nanoTime} scale);
 *     latency is measured from here, not from when it was actually sent, so a stalled generator or
 *     server shows up as latency instead of silently lowering the rate
 * @param tsMillis the document's timestamp, unique per device, which identifies it in the database
 *     afterwards
 */
record LoadMessage(long intendedNanos, long tsMillis) {}
