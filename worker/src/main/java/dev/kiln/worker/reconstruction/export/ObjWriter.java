package dev.kiln.worker.reconstruction.export;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Wavefront OBJ with an MTL whose diffuse map is the texture file beside it. */
public final class ObjWriter {

  public static final String OBJ = "model.obj";
  public static final String MTL = "model.mtl";
  public static final String TEXTURE = "texture.png";

  private ObjWriter() {}

  /** Writes model.obj, model.mtl and (when given) texture.png into {@code dir}. */
  public static void writeAll(Mesh mesh, byte[] png, Path dir) throws IOException {
    try (OutputStream out = Files.newOutputStream(dir.resolve(OBJ))) {
      writeObj(mesh, MTL, out);
    }
    try (OutputStream out = Files.newOutputStream(dir.resolve(MTL))) {
      writeMtl(png == null ? null : TEXTURE, out);
    }
    if (png != null) {
      Files.write(dir.resolve(TEXTURE), png);
    }
  }

  public static void writeObj(Mesh mesh, String mtlName, OutputStream out) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
    w.write("# Kiln reconstruction, millimetres, Z up\n");
    w.write("mtllib " + mtlName + "\n");
    float[] p = mesh.positions();
    for (int i = 0; i < p.length; i += 3) {
      w.write("v " + p[i] + " " + p[i + 1] + " " + p[i + 2] + "\n");
    }
    float[] uv = mesh.uvs();
    if (uv != null) {
      // why: OBJ puts the texture origin at the bottom-left, glTF (and Mesh) at the top-left
      for (int i = 0; i < uv.length; i += 2) {
        w.write("vt " + uv[i] + " " + (1f - uv[i + 1]) + "\n");
      }
    }
    float[] n = mesh.vertexNormals();
    for (int i = 0; i < n.length; i += 3) {
      w.write("vn " + n[i] + " " + n[i + 1] + " " + n[i + 2] + "\n");
    }
    w.write("usemtl relief\n");
    int[] t = mesh.triangles();
    for (int f = 0; f < t.length; f += 3) {
      w.write('f');
      for (int k = 0; k < 3; k++) {
        int i = t[f + k] + 1;
        w.write(uv != null ? " " + i + "/" + i + "/" + i : " " + i + "//" + i);
      }
      w.write('\n');
    }
    w.flush();
  }

  public static void writeMtl(String textureName, OutputStream out) throws IOException {
    StringBuilder s =
        new StringBuilder("newmtl relief\nKa 1 1 1\nKd 1 1 1\nKs 0 0 0\nd 1\nillum 1\n");
    if (textureName != null) {
      s.append("map_Kd ").append(textureName).append('\n');
    }
    out.write(s.toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
