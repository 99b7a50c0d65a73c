/**
 * Geometry core of the reconstruction job type (issue 5): plain Java, no framework.
 *
 * <p>Conventions shared by every sub-package, so stages can be chained without conversions:
 *
 * <ul>
 *   <li>{@link dev.kiln.worker.reconstruction.mesh.Mesh} positions are millimetres, Z up,
 *       counter-clockwise faces seen from outside; UVs use the glTF origin (top-left, v down).
 *   <li>{@code relief} builds a closed solid from an image, {@code depth} an open surface from a
 *       depth map (never across a depth jump), {@code multiview} a closed surface carved from
 *       silhouettes; {@code mesh.QuadricDecimator} keeps a closed mesh closed unless reaching the
 *       face limit forces its guards off, which it reports.
 *   <li>{@code pipeline} runs the job type's eight stages; what differs by mode sits behind one
 *       {@code ModeSteps} per mode.
 *   <li>{@code export} writers convert only where a format demands it: GLB via its node transform
 *       (Y up, metres), OBJ by flipping v. STL and PLY stay in millimetres, Z up.
 * </ul>
 */
package dev.kiln.worker.reconstruction;
