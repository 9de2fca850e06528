package io.aftercare.platform.command;

import java.time.Instant;

/** One step of a command's history: when, from which state to which, by whom. */
public record CommandTransition(Instant ts, String from, String to, String actor, String note) {}
