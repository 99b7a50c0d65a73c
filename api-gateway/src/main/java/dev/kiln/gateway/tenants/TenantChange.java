package dev.kiln.gateway.tenants;

import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.model.jobtypes.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's settings as sent to {@code PUT /api/v1/admin/tenants/{id}}; absent fields keep their
 * value.
 *
 * @param name display name, 1 to 200 characters
 * @param defaultNotifyUrl webhook target for jobs without notifyUrl; empty string removes it
 * @param maxActiveJobs cap on queued + running jobs, 1 to 1,000,000; 0 restores the default
 * @param submitsPerSecond each key's steady submit rate, up to 10,000; 0 restores the default
 * @param submitBurst each key's submit bucket size, up to 100,000; 0 restores the default
 * @param retentionDays days finished jobs are kept, 1 to 3,650 (failed jobs at least {@code
 *     KILN_RETENTION_FAILED_DAYS}); 0 restores the job type's or gateway's default
 */
public record TenantChange(
    String name,
    String defaultNotifyUrl,
    Integer maxActiveJobs,
    Double submitsPerSecond,
    Integer submitBurst,
    Integer retentionDays) {

  void check() {
    List<FieldError> errors = new ArrayList<>();
    if (name != null && (name.isBlank() || name.length() > 200)) {
      errors.add(new FieldError("name", "OUT_OF_RANGE", "1 to 200 characters"));
    }
    if (maxActiveJobs != null && (maxActiveJobs < 0 || maxActiveJobs > 1_000_000)) {
      errors.add(new FieldError("maxActiveJobs", "OUT_OF_RANGE", "0 to 1000000"));
    }
    if (submitsPerSecond != null && (!(submitsPerSecond >= 0) || submitsPerSecond > 10_000)) {
      errors.add(new FieldError("submitsPerSecond", "OUT_OF_RANGE", "0 to 10000"));
    }
    if (submitBurst != null && (submitBurst < 0 || submitBurst > 100_000)) {
      errors.add(new FieldError("submitBurst", "OUT_OF_RANGE", "0 to 100000"));
    }
    if (retentionDays != null && (retentionDays < 0 || retentionDays > 3650)) {
      errors.add(new FieldError("retentionDays", "OUT_OF_RANGE", "0 to 3650"));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.validation("invalid tenant settings", errors);
    }
  }
}
