package dev.kiln.gateway.auth;

import dev.kiln.gateway.problems.Problem;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.gateway.problems.Problems;
import dev.kiln.gateway.quota.SubmitRateLimiter;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Authenticates every {@code /api/v1} request by its bearer key (or, where {@link
 * Access#streamToken()} allows, by a stream token), checks the role the method needs, and spends a
 * submit token where {@link Access#rateLimited()} asks. Runs after routing, on the request's worker
 * thread (every API method is blocking), so the key lookup may use the database.
 */
public class AuthFilter {

  private static final Logger LOG = Logger.getLogger(AuthFilter.class);
  static final String API_PREFIX = "/api/v1";
  private static final String RATE = "kiln.rate-decision";
  private static final String CHALLENGE = "Bearer realm=\"kiln\"";

  @Inject ApiKeys keys;
  @Inject StreamTokens streamTokens;
  @Inject CurrentCaller current;
  @Inject SubmitRateLimiter rateLimiter;

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource)
      throws Exception {
    String path = request.getUriInfo().getPath();
    if (!path.startsWith(API_PREFIX)) {
      return Optional.empty();
    }
    Access access = access(resource);
    if (access == null) {
      // why: fail closed; an endpoint nobody classified is reachable by nobody
      return problem(request, 403, "FORBIDDEN", "Forbidden", "this endpoint is not open to keys");
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    String streamToken = request.getUriInfo().getQueryParameters().getFirst("access_token");
    Caller caller;
    if (header == null && streamToken != null && access.streamToken()) {
      caller = fromStreamToken(request, streamToken);
      if (caller == null) {
        return unauthenticated(request, "INVALID_TOKEN", "the stream token is invalid or expired");
      }
    } else if (header == null) {
      return unauthenticated(request, "UNAUTHENTICATED", "send Authorization: Bearer <api key>");
    } else {
      String token = bearer(header);
      Optional<Caller> found =
          ApiTokens.wellFormed(token) ? keys.authenticate(token) : Optional.empty();
      if (found.isEmpty()) {
        // why: a prefix is enough to tell which key a client holds; the token never reaches a log
        LOG.debugf("refused key %s on %s", ApiTokens.prefix(token), path);
        return unauthenticated(request, "INVALID_TOKEN", "the API key is unknown or revoked");
      }
      caller = found.get();
    }
    if (!caller.role().includes(access.value())) {
      return problem(
          request,
          403,
          "INSUFFICIENT_ROLE",
          "Forbidden",
          "this needs the " + access.value().wire() + " role; the key is " + caller.role().wire());
    }
    current.set(caller);
    LOG.debugf(
        "%s %s by key %s of tenant %s",
        request.getMethod(), path, caller.keyPrefix(), caller.tenantId());
    if (access.rateLimited()) {
      SubmitRateLimiter.Decision decision = rateLimiter.take(caller.keyId());
      request.setProperty(RATE, decision);
      if (!decision.allowed()) {
        Response.ResponseBuilder refused =
            Problems.builder(
                new ProblemException(
                        429,
                        "RATE_LIMITED",
                        "Too many requests",
                        "this key may submit "
                            + decision.limit()
                            + " requests at once and then a steady rate; retry after "
                            + decision.retryAfterSeconds()
                            + " s")
                    .toProblem(path));
        rateHeaders(decision, refused::header);
        return Optional.of(refused.header("Retry-After", decision.retryAfterSeconds()).build());
      }
    }
    return Optional.empty();
  }

  /** Tells well-behaved clients how much room is left, on every rate-limited success too. */
  @ServerResponseFilter
  public void rateLimitHeaders(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(RATE) instanceof SubmitRateLimiter.Decision decision
        && decision.allowed()) {
      rateHeaders(decision, (name, value) -> response.getHeaders().putSingle(name, value));
    }
  }

  private static void rateHeaders(
      SubmitRateLimiter.Decision decision, java.util.function.BiConsumer<String, Object> header) {
    header.accept("RateLimit-Limit", decision.limit());
    header.accept("RateLimit-Remaining", decision.remaining());
    header.accept("RateLimit-Reset", decision.resetSeconds());
  }

  private Caller fromStreamToken(ContainerRequestContext request, String token) {
    Optional<StreamTokens.Grant> grant = streamTokens.verify(token, Instant.now());
    if (grant.isEmpty()) {
      return null;
    }
    String id = request.getUriInfo().getPathParameters().getFirst("id");
    if (id == null || !id.equalsIgnoreCase(grant.get().jobId().toString())) {
      return null;
    }
    return keys.active(grant.get().keyId())
        .map(key -> new Caller(key.id, key.prefix, key.tenantId, Role.VIEWER, grant.get().jobId()))
        .orElse(null);
  }

  private static String bearer(String header) {
    return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
  }

  private static Access access(ResourceInfo resource) {
    Method method = resource.getResourceMethod();
    if (method == null) {
      return null;
    }
    Access access = method.getAnnotation(Access.class);
    return access != null ? access : resource.getResourceClass().getAnnotation(Access.class);
  }

  private static Optional<Response> unauthenticated(
      ContainerRequestContext request, String code, String detail) {
    Problem problem =
        new ProblemException(401, code, "Unauthenticated", detail)
            .toProblem(request.getUriInfo().getPath());
    return Optional.of(
        Problems.builder(problem).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build());
  }

  private static Optional<Response> problem(
      ContainerRequestContext request, int status, String code, String title, String detail) {
    return Optional.of(
        Problems.response(
            new ProblemException(status, code, title, detail)
                .toProblem(request.getUriInfo().getPath())));
  }
}
