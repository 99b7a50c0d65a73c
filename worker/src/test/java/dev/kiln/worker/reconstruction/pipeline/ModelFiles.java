package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.json.KilnJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads face and vertex counts back out of exported files, independently of the writers. */
final class ModelFiles {

  private ModelFiles() {}

  static long stlFaces(byte[] stl) {
    return Integer.toUnsignedLong(
        ByteBuffer.wrap(stl, 80, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
  }

  static long objFaces(byte[] obj) {
    return new String(obj, StandardCharsets.US_ASCII)
        .lines()
        .filter(l -> l.startsWith("f "))
        .count();
  }

  static long objVertices(byte[] obj) {
    return new String(obj, StandardCharsets.US_ASCII)
        .lines()
        .filter(l -> l.startsWith("v "))
        .count();
  }

  static JsonNode glbJson(byte[] glb) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(glb).order(ByteOrder.LITTLE_ENDIAN);
    int jsonLength = b.getInt(12);
    return KilnJson.mapper().readTree(Arrays.copyOfRange(glb, 20, 20 + jsonLength));
  }

  static long glbFaces(byte[] glb) throws IOException {
    JsonNode json = glbJson(glb);
    int indices = json.path("meshes").path(0).path("primitives").path(0).path("indices").asInt();
    return json.path("accessors").path(indices).path("count").asLong() / 3;
  }

  static long plyVertices(byte[] ply) {
    String header = new String(ply, 0, Math.min(ply.length, 1024), StandardCharsets.US_ASCII);
    return header
        .lines()
        .filter(l -> l.startsWith("element vertex "))
        .mapToLong(l -> Long.parseLong(l.substring("element vertex ".length()).strip()))
        .findFirst()
        .orElseThrow();
  }
}
