package dev.kiln.gateway.hostile;

import java.util.UUID;

/**
 * What exists when the cases run, created through the API before the suite takes its snapshot.
 *
 * @param jobId a queued synthetic job
 * @param batchId a batch holding one queued job
 * @param viewerKey a viewer key of the fixtures' tenant
 * @param otherTenantKey a submitter key of another tenant, which must not see the fixtures
 * @param revokedKey a submitter key of the fixtures' tenant that has been revoked
 */
public record HostileFixtures(
    UUID jobId, UUID batchId, String viewerKey, String otherTenantKey, String revokedKey) {}
