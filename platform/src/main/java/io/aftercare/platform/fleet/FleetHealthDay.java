package io.aftercare.platform.fleet;

import java.time.LocalDate;
import java.util.List;

/** One UTC day of the fleet health trend. */
public record FleetHealthDay(LocalDate day, List<FleetHealthGroup> groups) {}
