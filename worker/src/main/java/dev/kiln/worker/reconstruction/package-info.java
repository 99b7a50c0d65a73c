/**
 * Geometry core of the reconstruction job type (issue 5): plain Java, no framework.
 *
 * <p>Conventions shared by every sub-package, so stages can be chained without conversions:
 *
 * <ul>
 *   <li>{@link dev.kiln.worker.reconstruction.mesh.Mesh} positions are millimetres, Z up,
 *       counter-clockwise faces seen from outside; UVs use the glTF origin (top-left, v down).
 *   <li>{@code relief} builds a closed solid from an image; {@code mesh.QuadricDecimator} keeps it
 *       closed unless reaching the face limit forces its guards off, which it reports.
 *   <li>{@code export} writers convert only where a format demands it: GLB via its node transform
 *       (Y up, metres), OBJ by flipping v. STL and PLY stay in millimetres, Z up.
 * </ul>
 */
package dev.kiln.worker.reconstruction;
