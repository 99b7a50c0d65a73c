package dev.kiln.model.jobtypes;

import dev.kiln.model.messages.ExecutionPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the gateway needs to know about a job type: its parameter schema, its inputs and its
 * stages. Descriptors are JSON resources listed in {@code META-INF/kiln/job-types.index}, so adding
 * a type needs no gateway code.
 *
 * @param name type name, also the routing key and the queue suffix
 * @param title one-line summary
 * @param description what the type does
 * @param stages stage names with default parameters, in order
 * @param params parameter schema by name
 * @param inputs accepted inputs
 * @param policy default retries and timeout of the type; null means {@link ExecutionPolicy#DEFAULT}
 * @param thumbnail name of the artifact that shows the result at a glance (a small image), linked
 *     from the job as {@code links.thumbnail} once it exists; null when the type has none
 */
public record JobTypeDescriptor(
    String name,
    String title,
    String description,
    List<String> stages,
    Map<String, ParamSpec> params,
    InputSpec inputs,
    ExecutionPolicy policy,
    String thumbnail) {

  public JobTypeDescriptor {
    stages = List.copyOf(stages);
    params = params == null ? Map.of() : new LinkedHashMap<>(params);
    inputs = inputs == null ? InputSpec.NONE : inputs;
    policy = policy == null ? ExecutionPolicy.DEFAULT : policy;
  }
}
