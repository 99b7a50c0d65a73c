package dev.kiln.gateway.hostile;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.function.Function;

/**
 * One hostile request and the answer it must get: an exact 4xx status, a problem+json body with a
 * stable {@code code}, and for field errors the field's path (and optionally its own code).
 *
 * @param category what kind of hostility, used for the summary
 * @param name what the case sends, unique within the suite
 * @param request the request, sent through {@link HostileRequests}
 * @param status expected status
 * @param code expected problem {@code code}
 * @param field expected {@code errors[].field}, or null when the problem is not about a field
 * @param fieldCode expected code of that field error, or null for any
 */
public record HostileCase(
    String category,
    String name,
    Request request,
    int status,
    String code,
    String field,
    String fieldCode) {

  /** How a case reaches the gateway: only through {@link HostileRequests}. */
  public sealed interface Request {}

  /** A RestAssured call on a request from {@link HostileRequests#request()}. */
  public record Http(Function<RequestSpecification, Response> call) implements Request {}

  /** Raw bytes, see {@link HostileRequests#raw}. */
  public record Raw(String head, byte[] body) implements Request {}

  public static HostileCase http(
      String category,
      String name,
      Function<RequestSpecification, Response> call,
      int status,
      String code) {
    return new HostileCase(category, name, new Http(call), status, code, null, null);
  }

  public static HostileCase field(
      String category,
      String name,
      Function<RequestSpecification, Response> call,
      int status,
      String code,
      String field,
      String fieldCode) {
    return new HostileCase(category, name, new Http(call), status, code, field, fieldCode);
  }

  public static HostileCase raw(
      String category, String name, String head, byte[] body, int status, String code) {
    return new HostileCase(category, name, new Raw(head, body), status, code, null, null);
  }

  /** The same case, expecting a field error too. */
  public HostileCase withField(String field, String fieldCode) {
    return new HostileCase(category, name, request, status, code, field, fieldCode);
  }
}
