package dev.kiln.gateway.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A webhook receiver on 127.0.0.1 (the only address the test allow-list lets through). Each path is
 * one endpoint; it answers with the statuses queued for it, then 200, and keeps every request.
 */
final class Receiver implements AutoCloseable {

  /** One request as received. */
  record Request(Map<String, String> headers, String body, String requestLine) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final Map<String, List<Request>> requests = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentLinkedQueue<Integer>> answers = new ConcurrentHashMap<>();

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  /** The URL of endpoint {@code path}, answering {@code statuses} first, then 200. */
  String endpoint(String path, Integer... statuses) {
    answers.put(path, new ConcurrentLinkedQueue<>(List.of(statuses)));
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Request> requests(String path) {
    return List.copyOf(requests.getOrDefault(path, List.of()));
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Map<String, String> headers = new ConcurrentHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests
        .computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
        .add(
            new Request(
                headers, body, exchange.getRequestMethod() + " " + exchange.getRequestURI()));
    Integer status = answers.getOrDefault(path, new ConcurrentLinkedQueue<>()).poll();
    exchange.sendResponseHeaders(status == null ? 200 : status, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
