package dev.kiln.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository checkout the checks read: k8s/, docker-compose.yml, deploy/, the apps' sources.
 */
public final class Repo {

  private static final Path ROOT = locate();

  private Repo() {}

  public static Path root() {
    return ROOT;
  }

  public static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  public static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read " + relative, e);
    }
  }

  private static Path locate() {
    // why the property first: surefire sets it to the module's parent, which is right however
    // Maven was started (-pl, -f, from another directory)
    String configured = System.getProperty("kiln.deploy.root");
    Path start =
        configured != null
            ? Path.of(configured)
            : Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("k8s")) && Files.isRegularFile(dir.resolve("kiln"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no Kiln checkout (with k8s/ and ./kiln) at or above " + start);
  }
}
