package dev.kiln.gateway.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into problem+json; nothing else ever reaches a client. */
public class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper(priority = 1)
  public Response problem(ProblemException e, UriInfo uri) {
    return Problems.response(e.toProblem(uri.getPath()));
  }

  @ServerExceptionMapper(priority = 1)
  public Response streamComplete(dev.kiln.gateway.events.StreamComplete e) {
    return Response.noContent().build();
  }

  @ServerExceptionMapper(priority = 1)
  public Response json(JsonProcessingException e, UriInfo uri) {
    return Problems.response(jsonProblem(e).toProblem(uri.getPath()));
  }

  // why: the most specific mapper wins whatever its priority, and quarkus-rest-jackson ships
  // bodiless ones for these two; ours must be at least as specific.
  @ServerExceptionMapper(priority = 1)
  public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
    return json(e, uri);
  }

  @ServerExceptionMapper(priority = 1)
  public Response mismatch(MismatchedInputException e, UriInfo uri) {
    return json(e, uri);
  }

  @ServerExceptionMapper(priority = 1)
  public Response web(WebApplicationException e, UriInfo uri) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return json(json, uri);
    }
    if (e instanceof NotFoundException) {
      Set<String> allowed =
          io.quarkus.arc.Arc.container()
              .instance(AllowedMethods.class)
              .get()
              .allowed(uri.getPath());
      if (!allowed.isEmpty()) {
        return Problems.builder(methodNotAllowed(allowed).toProblem(uri.getPath()))
            .header("Allow", String.join(", ", allowed))
            .build();
      }
    }
    ProblemException problem =
        switch (e) {
          case NotFoundException nf ->
              new ProblemException(404, "NOT_FOUND", "Not found", "no resource at this path");
          case NotAllowedException na -> methodNotAllowed(na.getResponse().getAllowedMethods());
          case NotSupportedException ns ->
              new ProblemException(
                  415,
                  "UNSUPPORTED_MEDIA_TYPE",
                  "Unsupported media type",
                  "send application/json (or multipart/form-data where uploads are accepted)");
          case NotAcceptableException nacc ->
              new ProblemException(
                  406,
                  "NOT_ACCEPTABLE",
                  "Not acceptable",
                  "this resource cannot produce that type");
          default -> {
            int status = e.getResponse().getStatus();
            yield new ProblemException(
                status,
                status == 413 ? "PAYLOAD_TOO_LARGE" : "HTTP_" + status,
                e.getResponse().getStatusInfo().getReasonPhrase(),
                status >= 500 ? "the request could not be handled" : e.getMessage());
          }
        };
    Response.ResponseBuilder response = Problems.builder(problem.toProblem(uri.getPath()));
    e.getResponse()
        .getHeaders()
        .forEach(
            (k, v) -> {
              if (k.equalsIgnoreCase("Allow")) {
                v.forEach(value -> response.header(k, value));
              }
            });
    return response.build();
  }

  private static ProblemException methodNotAllowed(Set<String> allowed) {
    return new ProblemException(
        405, "METHOD_NOT_ALLOWED", "Method not allowed", "allowed: " + String.join(", ", allowed));
  }

  @ServerExceptionMapper(priority = 10)
  public Response unexpected(Throwable e, UriInfo uri) {
    var unavailable = Outages.unavailableDependency(e);
    if (unavailable.isPresent()) {
      LOG.warnf("%s unavailable: %s", unavailable.get(), e.toString());
      return Outages.response(unavailable.get(), uri.getPath());
    }
    String errorId = UUID.randomUUID().toString();
    LOG.errorf(e, "unhandled error %s on %s", errorId, uri.getPath());
    return Problems.response(ProblemException.internal(errorId).toProblem(uri.getPath()));
  }

  static ProblemException jsonProblem(JsonProcessingException e) {
    return JsonProblems.of(e, "");
  }
}
