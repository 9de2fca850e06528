package io.aftercare.platform.fleet.firmware;

/**
 * A version's rate against its predecessor's on the same model and rule.
 *
 * @param rateRatio this version's rate over the previous one's; null when the previous version had
 *     no alarm (unbounded) or either had no exposure
 * @param rateRatioLow the ratio's lower bound; null when nothing was counted
 * @param rateRatioHigh the ratio's upper bound; null when unbounded or nothing was counted
 * @param pValue the exact conditional test's two-sided p-value; null without exposure
 */
public record RateComparison(
    String previousFirmware,
    Double rateRatio,
    Double rateRatioLow,
    Double rateRatioHigh,
    Double pValue,
    Verdict verdict) {}
