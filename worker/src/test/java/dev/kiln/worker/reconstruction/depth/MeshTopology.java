package dev.kiln.worker.reconstruction.depth;

import dev.kiln.worker.reconstruction.mesh.Mesh;

/** Connectivity facts about a mesh, for assertions. */
final class MeshTopology {

  private MeshTopology() {}

  /** Number of edge-connected components among the vertices that faces use. */
  static int components(Mesh mesh) {
    int n = mesh.vertexCount();
    int[] parent = new int[n];
    boolean[] used = new boolean[n];
    for (int v = 0; v < n; v++) {
      parent[v] = v;
    }
    int[] t = mesh.triangles();
    for (int i = 0; i < t.length; i += 3) {
      used[t[i]] = used[t[i + 1]] = used[t[i + 2]] = true;
      union(parent, t[i], t[i + 1]);
      union(parent, t[i], t[i + 2]);
    }
    int roots = 0;
    for (int v = 0; v < n; v++) {
      if (used[v] && find(parent, v) == v) {
        roots++;
      }
    }
    return roots;
  }

  /** True when every vertex belongs to at least one face. */
  static boolean everyVertexUsed(Mesh mesh) {
    boolean[] used = new boolean[mesh.vertexCount()];
    for (int v : mesh.triangles()) {
      used[v] = true;
    }
    for (boolean u : used) {
      if (!u) {
        return false;
      }
    }
    return true;
  }

  private static void union(int[] parent, int a, int b) {
    parent[find(parent, a)] = find(parent, b);
  }

  private static int find(int[] parent, int v) {
    while (parent[v] != v) {
      parent[v] = parent[parent[v]];
      v = parent[v];
    }
    return v;
  }
}
