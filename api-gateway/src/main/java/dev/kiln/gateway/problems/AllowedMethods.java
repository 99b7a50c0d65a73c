package dev.kiln.gateway.problems;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which methods a path allows, across all resource classes. why: the REST layer answers 405 only
 * when the path matches a method of the same resource class; a wrong method on a path served by a
 * nested resource class (e.g. {@code POST /jobs/{id}/artifacts}) falls back to the enclosing
 * class's prefix and ends as 404, which tells a client the path does not exist when it does.
 */
// why unremovable: looked up from the exception mappers, never injected
@io.quarkus.arc.Unremovable
@ApplicationScoped
public class AllowedMethods {

  private record Route(Pattern pattern, String method) {}

  @Inject BeanManager beans;

  private volatile List<Route> routes;

  /** The methods some resource serves {@code path} with; empty when none does. */
  public Set<String> allowed(String path) {
    Set<String> methods = new TreeSet<>();
    for (Route route : routes()) {
      if (route.pattern().matcher(path).matches()) {
        methods.add(route.method());
      }
    }
    return methods;
  }

  private List<Route> routes() {
    List<Route> known = routes;
    if (known == null) {
      known = scan();
      routes = known;
    }
    return known;
  }

  private List<Route> scan() {
    List<Route> found = new ArrayList<>();
    for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
      Class<?> type = bean.getBeanClass();
      Path classPath = type.getAnnotation(Path.class);
      if (classPath == null) {
        continue;
      }
      for (Method method : type.getMethods()) {
        String http = httpMethod(method);
        if (http != null) {
          Path methodPath = method.getAnnotation(Path.class);
          String template = join(classPath.value(), methodPath == null ? "" : methodPath.value());
          found.add(new Route(toPattern(template), http));
        }
      }
    }
    return List.copyOf(found);
  }

  private static String httpMethod(Method method) {
    for (Annotation a : method.getAnnotations()) {
      HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  private static String join(String a, String b) {
    String left = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
    String right = b.isEmpty() || b.startsWith("/") ? b : "/" + b;
    return (left.startsWith("/") ? left : "/" + left) + right;
  }

  /** {@code /jobs/{id}/artifacts/{name}} to a pattern where each parameter is one segment. */
  static Pattern toPattern(String template) {
    StringBuilder regex = new StringBuilder();
    for (String part : template.split("\\{[^}]*}", -1)) {
      if (!regex.isEmpty()) {
        regex.append("[^/]+");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex + "/?");
  }
}
