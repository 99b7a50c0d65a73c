/**
 * Geometry of the {@code multiview} reconstruction mode: photographs of one object on a plain
 * background, taken by known cameras, become a closed textured mesh.
 *
 * <p>The steps, each reporting progress through a {@code DoubleConsumer} that is also its cancel
 * point:
 *
 * <ol>
 *   <li>{@link dev.kiln.worker.reconstruction.multiview.Silhouette} turns each decoded image into a
 *       one-bit {@link dev.kiln.worker.reconstruction.multiview.Mask}; the caller decodes, segments
 *       and drops one image at a time, so only masks stay in memory (38 KB per 640×480 view).
 *   <li>{@link dev.kiln.worker.reconstruction.multiview.SpaceCarver} samples the {@link
 *       dev.kiln.worker.reconstruction.multiview.VisualHull} of the masks on a {@link
 *       dev.kiln.worker.reconstruction.multiview.VoxelGrid} whose box it finds itself.
 *   <li>{@link dev.kiln.worker.reconstruction.multiview.MarchingCubes} extracts a watertight
 *       indexed surface, its vertices placed on the hull's boundary.
 *   <li>After simplification ({@code mesh.QuadricDecimator}), {@link
 *       dev.kiln.worker.reconstruction.multiview.ViewTexturer} gives every face the colours of the
 *       view that sees it best, in one atlas, decoding each used image once more, one at a time.
 * </ol>
 *
 * <p>Conventions: model space is millimetres, Z up, as everywhere in the reconstruction package.
 * Image coordinates put pixel (x, y)'s centre at (x + 0.5, y + 0.5), v downwards; turntable angle 0
 * puts the camera on the −Y axis, positive angles turn it counter-clockwise seen from above (see
 * {@link dev.kiln.worker.reconstruction.multiview.Camera}).
 */
package dev.kiln.worker.reconstruction.multiview;
