/**
 * Depth mode of the reconstruction job type: a colour image plus a depth map become a coloured
 * point cloud and a mesh.
 *
 * <p>Flow: {@link dev.kiln.worker.reconstruction.depth.DepthMap#decode} reads the PNG, {@link
 * dev.kiln.worker.reconstruction.depth.DepthMap#downsample} brings it to the quality's grid, {@link
 * dev.kiln.worker.reconstruction.depth.Intrinsics#resolve} gives the camera on that grid, and
 * {@link dev.kiln.worker.reconstruction.depth.DepthReconstruction#build} back-projects.
 *
 * <p>Conventions:
 *
 * <ul>
 *   <li>Pixels: integer coordinates at pixel centres; row 0 at the image top.
 *   <li>Camera frame (OpenCV): X right, Y down, Z forward along the optical axis; depth is Z, not
 *       the distance along the ray.
 *   <li>Model frame (Kiln: millimetres, Z up, right-handed): the camera sits at the origin looking
 *       along +y; model {@code (x, y, z) = (X, Z, -Y)}, so image right is +x, depth is +y and image
 *       up is +z. This is a proper rotation, so nothing is mirrored.
 *   <li>Faces are counter-clockwise seen from the camera, i.e. their normals point towards it: the
 *       camera side is the outside of a surface seen in a depth map.
 * </ul>
 */
package dev.kiln.worker.reconstruction.depth;
