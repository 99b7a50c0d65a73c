package dev.kiln.deploy.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.deploy.KubeModel;
import dev.kiln.deploy.Manifest;
import dev.kiln.deploy.Overlay;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every object each kustomization renders is valid for the API it names: built-in kinds against the
 * fabric8 model of the Kubernetes API (unknown fields, wrong types and missing required fields
 * fail) plus the rules in {@link BuiltinRules}; custom resources against {@link CustomResources}. A
 * kind with neither fails, so nothing goes unchecked.
 */
class SchemaTest {

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void everyObjectMatchesItsSchema(Overlay overlay) {
    List<String> problems = new ArrayList<>();
    for (Manifest m : overlay.manifests()) {
      Optional<Class<?>> builtin = BuiltinKinds.classOf(m.apiVersion(), m.kind());
      Optional<Shape> custom = CustomResources.shapeOf(m.apiVersion(), m.kind());
      if (builtin.isPresent()) {
        try {
          Object typed = KubeModel.read(m, builtin.get());
          BuiltinRules.check(typed).forEach(p -> problems.add(m + ": " + p));
        } catch (AssertionError e) {
          problems.add(e.getMessage());
        }
      } else if (custom.isPresent()) {
        List<String> found = new ArrayList<>();
        custom.get().check(m.node(), "$", found);
        found.forEach(p -> problems.add(m + ": " + p));
      } else {
        problems.add(
            m
                + ": no schema for "
                + m.apiVersion()
                + " "
                + m.kind()
                + " (add it to BuiltinKinds or CustomResources)");
      }
    }
    assertThat(problems).as("schema problems in %s", overlay.dir()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void namesAreUniquePerKind(Overlay overlay) {
    List<String> ids =
        overlay.manifests().stream()
            .map(m -> m.apiVersion() + "/" + m.kind() + "/" + m.name())
            .toList();
    assertThat(ids).as("objects in %s", overlay.dir()).doesNotHaveDuplicates();
  }
}
