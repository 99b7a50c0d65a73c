package dev.kiln.gateway.limits;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Answers 406 before a resource runs when the client accepts none of the types it produces. why:
 * the REST layer checks {@code Accept} when it picks among GET methods, but a POST that returns a
 * {@code Response} runs anyway: the job is created and its id sent in a form the client said it
 * cannot read, so it would submit again.
 */
public class AcceptCheck {

  @ServerRequestFilter
  public void check(ContainerRequestContext request, ResourceInfo resource) {
    if (resource == null || resource.getResourceMethod() == null) {
      return;
    }
    Produces produces = resource.getResourceMethod().getAnnotation(Produces.class);
    if (produces == null) {
      produces = resource.getResourceClass().getAnnotation(Produces.class);
    }
    if (produces == null) {
      return;
    }
    List<MediaType> offered = Arrays.stream(produces.value()).map(MediaType::valueOf).toList();
    for (MediaType accepted : request.getAcceptableMediaTypes()) {
      for (MediaType type : offered) {
        if (accepted.isCompatible(type)) {
          return;
        }
      }
    }
    throw new NotAcceptableException();
  }
}
