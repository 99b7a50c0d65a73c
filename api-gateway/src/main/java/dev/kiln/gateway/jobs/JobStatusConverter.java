package dev.kiln.gateway.jobs;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores statuses in their wire spelling, so SQL and the API read the same words. */
@Converter
public class JobStatusConverter implements AttributeConverter<JobStatus, String> {

  @Override
  public String convertToDatabaseColumn(JobStatus status) {
    return status == null ? null : status.wire();
  }

  @Override
  public JobStatus convertToEntityAttribute(String value) {
    return value == null
        ? null
        : JobStatus.parse(value)
            .orElseThrow(() -> new IllegalStateException("unknown job status " + value));
  }
}
