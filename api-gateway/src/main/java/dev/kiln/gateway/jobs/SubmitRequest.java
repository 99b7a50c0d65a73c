package dev.kiln.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /api/v1/jobs} (or the {@code job} part of a multipart submission).
 *
 * @param type job type, see {@code GET /api/v1/job-types}
 * @param params parameters, checked against the type's schema; omitted ones take their defaults
 * @param inputs URLs the worker fetches or objects already in the store
 * @param notifyUrl called when the job ends (delivery arrives with the webhooks feature)
 * @param retry how failed attempts are retried; omitted fields take the job type's defaults
 * @param timeoutSeconds how long one attempt may run before it is aborted, 1 to 86,400; the job
 *     type's default when omitted
 */
public record SubmitRequest(
    @Schema(required = true, examples = "synthetic") String type,
    @Schema(implementation = Object.class) JsonNode params,
    List<InputRequest> inputs,
    String notifyUrl,
    Policies.Retry retry,
    Integer timeoutSeconds) {

  /**
   * One input given by reference: exactly one of {@code url} and {@code object}.
   *
   * @param url http(s) URL
   * @param object key of an object in Kiln's bucket, e.g. an artifact of another job
   * @param name file name the stages see; derived from the URL or key when omitted
   */
  public record InputRequest(String url, String object, String name) {}
}
