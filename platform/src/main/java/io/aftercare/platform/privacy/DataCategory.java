package io.aftercare.platform.privacy;

/**
 * One row of the data classification (docs/privacy.md).
 *
 * @param name the name used in docs and in audit entries ({@code data.read.sensitive})
 * @param dataClass how much protection it needs
 * @param holds what it is and where it is stored
 * @param retention how long it is kept, and what enforces that
 */
public record DataCategory(String name, DataClass dataClass, String holds, String retention) {}
