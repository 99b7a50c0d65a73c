package dev.kiln.worker.reconstruction.mesh;

import java.util.Arrays;

/**
 * Binary min-heap of edge-collapse candidates in parallel primitive arrays. Entries are never
 * updated in place: each carries the version stamps of its two vertices, and the decimator skips
 * entries whose stamps have moved on, which is cheaper than a decrease-key heap with handles.
 */
final class EdgeHeap {

  private double[] cost;
  private long[] vertices;
  private long[] stamps;
  private int size;

  EdgeHeap(int capacity) {
    int c = Math.max(16, capacity);
    cost = new double[c];
    vertices = new long[c];
    stamps = new long[c];
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  void clear() {
    size = 0;
  }

  void push(double c, int a, int b, int stampA, int stampB) {
    if (size == cost.length) {
      int grown = cost.length * 2;
      cost = Arrays.copyOf(cost, grown);
      vertices = Arrays.copyOf(vertices, grown);
      stamps = Arrays.copyOf(stamps, grown);
    }
    int i = size++;
    long v = pack(a, b);
    long s = pack(stampA, stampB);
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (cost[parent] <= c) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    cost[i] = c;
    vertices[i] = v;
    stamps[i] = s;
  }

  double topCost() {
    return cost[0];
  }

  int topA() {
    return (int) (vertices[0] >>> 32);
  }

  int topB() {
    return (int) vertices[0];
  }

  int topStampA() {
    return (int) (stamps[0] >>> 32);
  }

  int topStampB() {
    return (int) stamps[0];
  }

  void pop() {
    size--;
    if (size == 0) {
      return;
    }
    double c = cost[size];
    long v = vertices[size];
    long s = stamps[size];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && cost[child + 1] < cost[child]) {
        child++;
      }
      if (cost[child] >= c) {
        break;
      }
      move(child, i);
      i = child;
    }
    cost[i] = c;
    vertices[i] = v;
    stamps[i] = s;
  }

  private void move(int from, int to) {
    cost[to] = cost[from];
    vertices[to] = vertices[from];
    stamps[to] = stamps[from];
  }

  private static long pack(int hi, int lo) {
    return ((long) hi << 32) | (lo & 0xffffffffL);
  }
}
