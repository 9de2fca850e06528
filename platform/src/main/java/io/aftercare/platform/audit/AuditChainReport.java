package io.aftercare.platform.audit;

/**
 * What a walk of the audit log's hash chain found: how many entries it checked and, unless the
 * chain is intact, the first broken link in chain order.
 *
 * @param checked entries in the log
 * @param intact whether every entry hashes to its stored hash and chains onto the one before
 * @param firstBrokenId the id of the first entry that does not, or null (also when the newest
 *     entries are missing: there is no entry to name)
 * @param firstBrokenSeq its place in the chain (1 is the first entry ever written), or null
 * @param reason {@code altered}, {@code unlinked} or {@code truncated}, or null when intact
 */
public record AuditChainReport(
    long checked, boolean intact, Long firstBrokenId, Long firstBrokenSeq, String reason) {}
