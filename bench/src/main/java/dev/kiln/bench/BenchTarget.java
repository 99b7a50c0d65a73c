package dev.kiln.bench;

import java.nio.file.Path;

/**
 * The running platform a benchmark measures.
 *
 * @param gateway base URL, e.g. http://127.0.0.1:8080
 * @param adminKey an admin API key, for making the bench tenant and its keys
 * @param stateDir the platform's .kiln directory (pid files under run/), so a bench can find the
 *     gateway's process to read its heap
 */
public record BenchTarget(String gateway, String adminKey, Path stateDir) {}
