package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.json.KilnJson;
import dev.kiln.worker.pipeline.StageContext;
import dev.kiln.worker.reconstruction.export.GlbWriter;
import dev.kiln.worker.reconstruction.export.ObjWriter;
import dev.kiln.worker.reconstruction.export.PlyWriter;
import dev.kiln.worker.reconstruction.export.Png;
import dev.kiln.worker.reconstruction.export.StlWriter;
import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.render.PreviewRenderer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The export and upload stages: model files in the requested formats, preview and metadata. */
final class ModelExport {

  static final String GLB = "model.glb";
  static final String PLY = "pointcloud.ply";
  static final String STL = "model.stl";
  static final String PREVIEW = "preview.png";
  static final String METADATA = "metadata.json";

  /** A file written to the scratch directory, to be uploaded under its own name. */
  record File(String name, String contentType, Path path) {}

  record Written(List<File> list) {}

  private ModelExport() {}

  static Written write(ModelRun run, Path dir, ModelRun.Progress progress) throws IOException {
    Mesh mesh = run.textured.mesh();
    byte[] texture = run.textured.texturePng();
    List<File> out = new ArrayList<>();
    int total = run.params.formats().size() + 1;
    int doneCount = 0;
    for (String format : ReconstructionParams.ALL_FORMATS) {
      if (!run.params.formats().contains(format)) {
        continue;
      }
      switch (format) {
        case "glb" -> {
          out.add(writeOne(dir, GLB, "model/gltf-binary", o -> GlbWriter.write(mesh, texture, o)));
        }
        case "obj" -> {
          ObjWriter.writeAll(mesh, texture, dir);
          out.add(new File(ObjWriter.OBJ, "model/obj", dir.resolve(ObjWriter.OBJ)));
          out.add(new File(ObjWriter.MTL, "model/mtl", dir.resolve(ObjWriter.MTL)));
          if (texture != null) {
            out.add(new File(ObjWriter.TEXTURE, "image/png", dir.resolve(ObjWriter.TEXTURE)));
          }
        }
        case "ply" ->
            out.add(
                writeOne(
                    dir,
                    PLY,
                    "application/x-ply",
                    o -> PlyWriter.write(run.mode.pointCloud(run.simplified.mesh()), o)));
        case "stl" -> out.add(writeOne(dir, STL, "model/stl", o -> StlWriter.write(mesh, o)));
        default -> throw new IllegalStateException("unknown format " + format);
      }
      progress.report(++doneCount * 100 / total, format + " written");
    }
    byte[] preview = Png.encode(PreviewRenderer.render(mesh));
    java.nio.file.Files.write(dir.resolve(PREVIEW), preview);
    out.add(new File(PREVIEW, "image/png", dir.resolve(PREVIEW)));
    return new Written(List.copyOf(out));
  }

  /**
   * @param startNanos when the upload stage started: metadata.json reports the upload time up to
   *     its own writing, the only part it can know
   */
  static void upload(ModelRun run, StageContext ctx, ModelRun.Progress progress, long startNanos)
      throws Exception {
    List<File> files = run.files.list();
    int total = files.size() + 1;
    for (int i = 0; i < files.size(); i++) {
      File f = files.get(i);
      ctx.writeArtifact(f.name(), f.contentType(), f.path());
      progress.report((i + 1) * 100 / total, f.name() + " uploaded");
    }
    run.stageMillis.put(Step.UPLOAD.stageName(), (System.nanoTime() - startNanos) / 1_000_000);
    Path metadata = ctx.workDir().resolve(METADATA);
    java.nio.file.Files.write(
        metadata,
        KilnJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata(run, files)));
    ctx.writeArtifact(METADATA, "application/json", metadata);
  }

  /** What a client needs to judge the model without opening it. */
  static ObjectNode metadata(ModelRun run, List<File> files) {
    ObjectNode root = KilnJson.mapper().createObjectNode();
    root.put("mode", run.params.mode());
    root.put("quality", run.params.quality().name().toLowerCase(java.util.Locale.ROOT));
    root.put("faceLimit", run.params.faceLimit());
    run.mode.describe(root);
    Mesh before = run.rawMesh;
    Mesh after = run.simplified.mesh();
    ObjectNode counts = root.putObject("mesh");
    counts.put("verticesBefore", before.vertexCount());
    counts.put("facesBefore", before.faceCount());
    counts.put("verticesAfter", after.vertexCount());
    counts.put("facesAfter", after.faceCount());
    // why the simplified mesh: texturing may split vertices along uv seams, which changes nothing
    // about the surface but would read as holes to an edge count
    counts.put("watertight", after.isWatertight());
    counts.put("guardsRelaxed", run.simplified.guardsRelaxed());
    counts.put("maxErrorMm", run.simplified.maxErrorMm());
    Mesh.Bounds bounds = after.bounds();
    ObjectNode box = root.putObject("boundingBoxMm");
    for (int axis = 0; axis < 3; axis++) {
      box.withArray("min").add(bounds.min()[axis]);
      box.withArray("max").add(bounds.max()[axis]);
    }
    var artifacts = root.putArray("artifacts");
    files.forEach(f -> artifacts.add(f.name()));
    artifacts.add(METADATA);
    ObjectNode timings = root.putObject("stageMillis");
    for (Map.Entry<String, Long> e : run.stageMillis.entrySet()) {
      timings.put(e.getKey(), e.getValue());
    }
    return root;
  }

  @FunctionalInterface
  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static File writeOne(Path dir, String name, String type, Writer writer)
      throws IOException {
    Path path = dir.resolve(name);
    try (OutputStream out =
        new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(path), 1 << 16)) {
      writer.write(out);
    }
    return new File(name, type, path);
  }
}
