package dev.kiln.gateway.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.jobtypes.JobTypeDescriptor;
import dev.kiln.model.messages.ExecutionPolicy;
import dev.kiln.model.messages.InputRef;
import java.util.List;
import java.util.UUID;

/**
 * A submission that passed validation and whose uploads are stored: ready to be inserted.
 *
 * @param id the job id, chosen before uploading so inputs land under {@code inputs/{id}/}
 * @param descriptor its job type
 * @param params validated parameters with defaults
 * @param inputs inputs as the worker will see them
 * @param notifyUrl webhook target, or null
 * @param policy retries and timeout: the type's defaults with the request's overrides
 */
public record PreparedJob(
    UUID id,
    JobTypeDescriptor descriptor,
    ObjectNode params,
    List<InputRef> inputs,
    String notifyUrl,
    ExecutionPolicy policy) {}
