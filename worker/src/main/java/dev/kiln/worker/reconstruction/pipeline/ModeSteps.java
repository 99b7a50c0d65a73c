package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.worker.pipeline.StageContext;
import dev.kiln.worker.pipeline.StageFailure;
import dev.kiln.worker.reconstruction.mesh.Mesh;

/**
 * What one reconstruction mode does in the stages that differ between modes. Simplification, export
 * and upload are shared ({@link ModelRun}, {@link ModelExport}).
 *
 * <p>Each method runs at most once per run, in stage order, and may keep its results in fields: a
 * resumed run that skipped stages calls them again in order before the first stage it runs.
 */
interface ModeSteps {

  /** fetch_inputs: checks the mode's params and input count, then reads or spools the inputs. */
  void fetch(StageContext ctx, ModelRun.Progress progress) throws Exception;

  /** preprocess: decodes and normalises the inputs. */
  void preprocess(StageContext ctx, ModelRun.Progress progress) throws Exception;

  /** reconstruct: the mode's geometry (height field, point cloud, carved voxels). */
  void reconstruct(ModelRun.Progress progress) throws Exception;

  /** mesh_generation: the full-resolution mesh, before simplification. */
  Mesh generateMesh(ModelRun.Progress progress) throws Exception;

  /**
   * texturing: the simplified mesh with uvs into the returned texture, or null uvs and a null
   * texture when the mode has none.
   */
  Textured texture(Mesh simplified, ModelRun.Progress progress) throws Exception;

  /** The points of {@code pointcloud.ply}: the mode's own cloud, or the mesh's vertices. */
  Mesh pointCloud(Mesh simplified);

  /** Adds the mode's inputs and intermediate sizes to metadata.json. */
  void describe(ObjectNode metadata);

  /** A mesh ready for export with the PNG its uvs point into. */
  record Textured(Mesh mesh, byte[] texturePng) {}

  /** A stage failure for bad inputs the gateway could not see, such as the wrong image count. */
  static StageFailure invalidInputs(String message) {
    return new StageFailure("INVALID_INPUTS", message, false);
  }
}
