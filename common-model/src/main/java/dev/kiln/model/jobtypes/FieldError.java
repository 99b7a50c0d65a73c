package dev.kiln.model.jobtypes;

/**
 * One problem with one field of a request, reported in the {@code errors[]} of a problem response.
 *
 * @param field JSON path of the field, e.g. {@code params.stages}
 * @param code stable code, e.g. {@code OUT_OF_RANGE}
 * @param message human-readable explanation
 */
public record FieldError(String field, String code, String message) {}
