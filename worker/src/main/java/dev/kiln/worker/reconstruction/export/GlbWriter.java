package dev.kiln.worker.reconstruction.export;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Binary glTF 2.0: one JSON chunk and one BIN chunk holding positions, normals, UVs, uint32 indices
 * and the PNG texture. Geometry stays in millimetres, Z up, as in {@link Mesh}; the node carries
 * the rotation to glTF's Y up and the scale to metres, so accessor bounds equal the mesh's.
 */
public final class GlbWriter {

  private static final int MAGIC = 0x46546C67;
  private static final int CHUNK_JSON = 0x4E4F534A;
  private static final int CHUNK_BIN = 0x004E4942;
  private static final int ARRAY_BUFFER = 34962;
  private static final int ELEMENT_ARRAY_BUFFER = 34963;
  private static final int FLOAT = 5126;
  private static final int UNSIGNED_INT = 5125;

  private GlbWriter() {}

  /**
   * @param png texture for the top surface, or null for an untextured grey model; ignored when the
   *     mesh has no UVs
   */
  public static void write(Mesh mesh, byte[] png, OutputStream out) throws IOException {
    int n = mesh.vertexCount();
    boolean textured = png != null && mesh.hasUvs();
    float[] normals = mesh.vertexNormals();
    int posBytes = 12 * n;
    int uvBytes = textured ? 8 * n : 0;
    int indexBytes = 4 * mesh.triangles().length;
    int posOffset = 0;
    int normalOffset = posOffset + posBytes;
    int uvOffset = normalOffset + posBytes;
    int indexOffset = uvOffset + uvBytes;
    int imageOffset = indexOffset + indexBytes;
    int binLength = pad4(imageOffset + (textured ? png.length : 0));

    ByteBuffer bin = ByteBuffer.allocate(binLength).order(ByteOrder.LITTLE_ENDIAN);
    for (float p : mesh.positions()) {
      bin.putFloat(p);
    }
    for (float v : normals) {
      bin.putFloat(v);
    }
    if (textured) {
      for (float v : mesh.uvs()) {
        bin.putFloat(v);
      }
    }
    for (int i : mesh.triangles()) {
      bin.putInt(i);
    }
    if (textured) {
      bin.put(png);
    }

    StringBuilder json = new StringBuilder(2048);
    json.append("{\"asset\":{\"version\":\"2.0\",\"generator\":\"Kiln reconstruction\"}");
    json.append(",\"scene\":0,\"scenes\":[{\"nodes\":[0]}]");
    // why: -90 degrees about X maps Z up to Y up; 0.001 turns millimetres into glTF's metres
    json.append(",\"nodes\":[{\"mesh\":0,\"rotation\":[-0.70710677,0,0,0.70710677]")
        .append(",\"scale\":[0.001,0.001,0.001]}]");
    json.append(",\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0,\"NORMAL\":1");
    if (textured) {
      json.append(",\"TEXCOORD_0\":2");
    }
    json.append("},\"indices\":").append(textured ? 3 : 2).append(",\"material\":0,\"mode\":4}]}]");
    json.append(",\"materials\":[{\"name\":\"relief\",\"pbrMetallicRoughness\":{");
    if (textured) {
      json.append("\"baseColorTexture\":{\"index\":0},");
    } else {
      json.append("\"baseColorFactor\":[0.8,0.8,0.8,1],");
    }
    json.append("\"metallicFactor\":0,\"roughnessFactor\":1}}]");
    if (textured) {
      json.append(",\"samplers\":[{\"magFilter\":9729,\"minFilter\":9987")
          .append(",\"wrapS\":33071,\"wrapT\":33071}]");
      json.append(",\"textures\":[{\"sampler\":0,\"source\":0}]");
      json.append(",\"images\":[{\"bufferView\":4,\"mimeType\":\"image/png\"}]");
    }
    json.append(",\"buffers\":[{\"byteLength\":").append(binLength).append("}]");
    json.append(",\"bufferViews\":[");
    view(json, posOffset, posBytes, ARRAY_BUFFER).append(',');
    view(json, normalOffset, posBytes, ARRAY_BUFFER).append(',');
    if (textured) {
      view(json, uvOffset, uvBytes, ARRAY_BUFFER).append(',');
    }
    view(json, indexOffset, indexBytes, ELEMENT_ARRAY_BUFFER);
    if (textured) {
      json.append(",{\"buffer\":0,\"byteOffset\":")
          .append(imageOffset)
          .append(",\"byteLength\":")
          .append(png.length)
          .append('}');
    }
    json.append("],\"accessors\":[");
    floatAccessor(json, 0, n, "VEC3", mesh.positions(), 3).append(',');
    floatAccessor(json, 1, n, "VEC3", normals, 3).append(',');
    if (textured) {
      floatAccessor(json, 2, n, "VEC2", mesh.uvs(), 2).append(',');
    }
    json.append("{\"bufferView\":")
        .append(textured ? 3 : 2)
        .append(",\"componentType\":")
        .append(UNSIGNED_INT)
        .append(",\"count\":")
        .append(mesh.triangles().length)
        .append(",\"type\":\"SCALAR\"}]}");

    byte[] jsonBytes = json.toString().getBytes(StandardCharsets.UTF_8);
    int jsonLength = pad4(jsonBytes.length);
    int total = 12 + 8 + jsonLength + 8 + binLength;
    ByteBuffer header = ByteBuffer.allocate(12 + 8).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(MAGIC).putInt(2).putInt(total).putInt(jsonLength).putInt(CHUNK_JSON);
    out.write(header.array());
    out.write(jsonBytes);
    for (int i = jsonBytes.length; i < jsonLength; i++) {
      out.write(' ');
    }
    ByteBuffer binHeader = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    binHeader.putInt(binLength).putInt(CHUNK_BIN);
    out.write(binHeader.array());
    out.write(bin.array());
  }

  private static StringBuilder view(StringBuilder json, int offset, int length, int target) {
    return json.append("{\"buffer\":0,\"byteOffset\":")
        .append(offset)
        .append(",\"byteLength\":")
        .append(length)
        .append(",\"target\":")
        .append(target)
        .append('}');
  }

  /** The validator requires min/max on POSITION and checks them against the data exactly. */
  private static StringBuilder floatAccessor(
      StringBuilder json, int view, int count, String type, float[] data, int width) {
    float[] min = new float[width];
    float[] max = new float[width];
    java.util.Arrays.fill(min, Float.MAX_VALUE);
    java.util.Arrays.fill(max, -Float.MAX_VALUE);
    for (int i = 0; i < data.length; i++) {
      min[i % width] = Math.min(min[i % width], data[i]);
      max[i % width] = Math.max(max[i % width], data[i]);
    }
    json.append("{\"bufferView\":")
        .append(view)
        .append(",\"componentType\":")
        .append(FLOAT)
        .append(",\"count\":")
        .append(count)
        .append(",\"type\":\"")
        .append(type)
        .append("\",\"min\":");
    array(json, min).append(",\"max\":");
    return array(json, max).append('}');
  }

  private static StringBuilder array(StringBuilder json, float[] values) {
    json.append('[');
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        json.append(',');
      }
      // why: Float.toString is the shortest text that reads back as the same float
      json.append(Float.toString(values[i] == 0f ? 0f : values[i]));
    }
    return json.append(']');
  }

  private static int pad4(int length) {
    return (length + 3) & ~3;
  }
}
