// Kiln demo client, run by `./kiln demo`: submits a job, follows its live progress over
// Server-Sent Events and lists its artifacts. A single-file source program using JDK classes only,
// so it needs no build:   java deploy/demo/KilnDemo.java http://127.0.0.1:8080 --stages 6
import java.io.*;
import java.net.URI;
import java.net.http.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.stream.*;

public final class KilnDemo {
  static final Set<String> TERMINAL = Set.of("job.succeeded", "job.failed", "job.cancelled");
  static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled");
  static final int MAX_TRIES = 5, BAR = 20;
  // why: from the environment, never an argument, so the key stays out of the process list
  static final String API_KEY = System.getenv().getOrDefault("KILN_API_KEY", "");
  // why: the gateway sends a keep-alive comment every 15 s; three missed ones mean the
  // connection is dead even when TCP has not noticed yet.
  static final long IDLE_LIMIT_MS = 45_000;
  static final Map<String, String> PARAM_OPTIONS = Map.of("--stages", "stages",
      "--stage-millis", "stageMillis", "--artifact-bytes", "artifactBytes",
      "--fail-at-stage", "failAtStage");

  static final class Stage {
    String state = "pending", message = "";
    long progress;

    void set(String state, long progress, String message) {
      this.state = state;
      this.progress = progress;
      this.message = message;
    }
  }

  final URI base;
  final boolean tty;
  final PrintStream out = System.out;
  final HttpClient http = client();
  final Map<String, Stage> stages = new LinkedHashMap<>();
  final List<String> notes = new ArrayList<>();
  String jobId, status = "queued", currentStage, terminal;
  long jobProgress, attempt, lastEventId = -1;
  int drawn; // lines of the progress block on screen, to redraw it in place

  KilnDemo(URI base, boolean tty) {
    this.base = base;
    this.tty = tty;
  }

  public static void main(String[] args) throws Exception {
    String url = "http://127.0.0.1:8080", type = "synthetic";
    boolean plain = false;
    Map<String, Object> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) usage(null);
      else if (a.equals("--plain")) plain = true;
      else if (a.equals("--type") || PARAM_OPTIONS.containsKey(a)) {
        if (++i >= args.length) usage(a + " needs a value");
        if (a.equals("--type")) type = args[i];
        else if (args[i].matches("\\d{1,12}")) given.put(PARAM_OPTIONS.get(a), Long.valueOf(args[i]));
        else usage(a + " needs a whole number, got " + args[i]);
      } else if (a.startsWith("-")) usage("unknown option " + a);
      else url = a;
    }
    Map<String, Object> params = new LinkedHashMap<>();
    if (type.equals("synthetic")) { // other types get their defaults from the gateway
      params.put("stages", 4L);
      params.put("stageMillis", 1500L);
      params.put("artifactBytes", 1048576L);
    }
    params.putAll(given);
    URI base = URI.create(url.endsWith("/") ? url : url + "/");
    System.exit(new KilnDemo(base, !plain && isTerminal()).run(type, params));
  }

  static void usage(String problem) {
    if (problem != null) System.err.println(problem);
    System.err.println("""
        usage: java KilnDemo.java [GATEWAY_URL] [--stages N] [--stage-millis MS]
                                  [--artifact-bytes N] [--fail-at-stage N] [--type T] [--plain]
        Submits a job, shows its live progress and lists its artifacts.
        Exits 0 when the job succeeded, 1 otherwise.""");
    System.exit(problem == null ? 0 : 2);
  }

  /** Redrawing in place needs a terminal; CI logs get one plain line per event instead. */
  static boolean isTerminal() {
    var console = System.console();
    if (console == null || "dumb".equals(System.getenv("TERM"))) return false;
    try { // why: since JDK 22 System.console() is non-null even when output is redirected
      return (Boolean) console.getClass().getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: there is a console only when attached to a terminal
    }
  }

  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  int run(String type, Map<String, Object> params) throws InterruptedException {
    long started = System.nanoTime();
    try {
      Map<String, Object> body = new LinkedHashMap<>(Map.of("type", type));
      body.put("params", params);
      Reply submitted = call("POST", base.resolve("api/v1/jobs"), Json.write(body));
      if (submitted.status != 202) return problem("submitting the job", submitted);
      Map<String, Object> job = Json.map(submitted.body);
      jobId = Json.str(job, "id");
      Map<String, Object> links = Json.map(job.get("links"));
      URI events = link(links, "events", "/events");
      out.println("Submitted " + bold(type) + " job " + bold(jobId));
      out.println("  Params:   " + Json.write(params) + "\n  Location: " + submitted.location
          + "\n  Events:   " + events + "\n");
      boolean followed = follow(events);
      if (!followed) out.println("live updates unavailable; polling the job until it ends");
      Map<String, Object> end = awaitJob(link(links, "self", ""), followed);
      listArtifacts(link(links, "artifacts", "/artifacts"));
      String finalStatus = Json.str(end, "status");
      out.printf("%nJob %s %s (%.1f s)%n", jobId, colored(finalStatus),
          (System.nanoTime() - started) / 1e9);
      Map<String, Object> error = Json.map(end.get("error"));
      if (!error.isEmpty()) {
        out.printf("  error %s: %s (stage %s, retryable %s)%n", error.get("code"),
            error.get("message"), error.get("stage"), error.get("retryable"));
      }
      return "succeeded".equals(finalStatus) ? 0 : 1;
    } catch (IOException e) {
      System.err.println("cannot reach the gateway at " + base + ": " + describe(e));
      return 1;
    }
  }

  /** Links are paths relative to the gateway root; falls back to the documented ones. */
  URI link(Map<String, Object> links, String name, String suffix) {
    String path = Json.str(links, name);
    if (path == null) path = "api/v1/jobs/" + jobId + suffix;
    return base.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  /** Follows the events up to the terminal one; false when the stream cannot be kept up. */
  boolean follow(URI events) throws InterruptedException {
    int failures = 0;
    long retryMs = 1000;
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sse-watchdog");
      t.setDaemon(true);
      return t;
    });
    try {
      while (true) {
        boolean progressed = false;
        String reason = "the server closed the stream";
        HttpClient sse = client(); // why: its own client, so the watchdog can abort a stuck read
        AtomicLong lastSeen = new AtomicLong(System.currentTimeMillis());
        AtomicBoolean idle = new AtomicBoolean();
        var check = watchdog.scheduleAtFixedRate(() -> {
          if (System.currentTimeMillis() - lastSeen.get() > IDLE_LIMIT_MS && !idle.getAndSet(true)) {
            sse.shutdownNow();
          }
        }, 5, 5, TimeUnit.SECONDS);
        try {
          var req = HttpRequest.newBuilder(events).header("Accept", "text/event-stream").header("Authorization", "Bearer " + API_KEY);
          if (lastEventId >= 0) req.header("Last-Event-ID", Long.toString(lastEventId));
          HttpResponse<Stream<String>> resp = sse.send(req.build(), HttpResponse.BodyHandlers.ofLines());
          try (Stream<String> lines = resp.body()) {
            int code = resp.statusCode();
            if (code == 204) return false; // SSE: the server asks clients not to reconnect
            if (code != 200) {
              String body = lines.collect(Collectors.joining("\n"));
              problem("opening the event stream", new Reply(code, Json.parse(body), body, null));
              if (code >= 400 && code < 500 && code != 408 && code != 429) return false;
              reason = "HTTP " + code;
            } else {
              Sse parser = new Sse();
              for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                Sse.Frame frame = parser.line(it.next());
                lastSeen.set(System.currentTimeMillis());
                if (parser.retry != null) retryMs = parser.retry;
                if (frame != null && handle(frame)) {
                  progressed = true;
                  if (terminal != null) return true;
                }
              }
            }
          }
        } catch (IOException | UncheckedIOException e) {
          reason = idle.get() ? "no data or keep-alive for 45 s" : describe(e);
        } finally {
          check.cancel(false);
          sse.shutdownNow();
        }
        failures = progressed ? 1 : failures + 1; // tries since the last event that arrived
        if (failures > MAX_TRIES) {
          System.err.println("giving up on the event stream after " + MAX_TRIES + " tries");
          return false;
        }
        drawn = 0; // the notice goes below the progress block; the next redraw starts afresh
        out.println("stream interrupted (" + reason + "); reconnecting, try " + failures + " of "
            + MAX_TRIES + (lastEventId >= 0 ? ", resuming after event " + lastEventId : ""));
        Thread.sleep(retryMs);
      }
    } finally {
      watchdog.shutdownNow();
    }
  }

  /** Applies one event; false for one already seen (a replay overlapping what arrived). */
  boolean handle(Sse.Frame frame) {
    if (frame.id() != null && frame.id().strip().matches("\\d{1,18}")) {
      long id = Long.parseLong(frame.id().strip());
      if (id <= lastEventId) return false;
      lastEventId = id;
    }
    Map<String, Object> event = Json.map(Json.parse(frame.data()));
    Map<String, Object> p = Json.map(event.get("payload")), job = Json.map(event.get("job"));
    String type = frame.event() != null ? frame.event() : String.valueOf(event.get("type"));
    if (!job.isEmpty()) {
      status = Json.str(job, "status");
      jobProgress = Json.num(job, "progress");
      currentStage = Json.str(job, "currentStage");
    }
    if (Json.num(event, "attempt") > attempt) { // a retried job starts its stages over
      attempt = Json.num(event, "attempt");
      stages.replaceAll((k, v) -> new Stage());
    }
    String stageName = p.get("stage") instanceof String s ? s : null;
    Stage stage = stageName == null ? null : stages.computeIfAbsent(stageName, k -> new Stage());
    if (stage == null && type.startsWith("stage.")) type = "unexpected " + type; // show, skip
    String detail = "";
    switch (type) {
      case "job.started" -> {
        Json.list(p.get("stages")).forEach(n -> stages.putIfAbsent(String.valueOf(n), new Stage()));
        detail = "attempt " + attempt + ", stages " + String.join(", ", stages.keySet());
      }
      case "stage.started" -> stage.set("running", 0, "");
      case "stage.progress" ->
          stage.set("running", Json.num(p, "progress"), "" + p.getOrDefault("message", ""));
      case "stage.completed" -> stage.set("done", 100,
          String.format("done in %.1f s", Json.num(p, "durationMs") / 1000.0));
      case "artifact.created" -> {
        detail = p.get("name") + "  " + size(Json.num(p, "size")) + "  sha256 " + p.get("sha256");
        notes.add("artifact " + detail);
      }
      case "job.failed" -> {
        detail = p.get("code") + ": " + p.get("message");
        if (stage != null) stage.set("failed", stage.progress, detail);
      }
      case "job.cancelled" -> {
        detail = String.valueOf(p.getOrDefault("reason", ""));
        if (stage != null) stage.state = "cancelled";
      }
      case "job.succeeded" -> detail = String.format("in %.1f s", Json.num(p, "durationMs") / 1000.0);
      case "job.queued" -> detail = String.valueOf(p.getOrDefault("reason", ""));
      default -> detail = p.isEmpty() ? frame.data() : Json.write(p);
    }
    if (TERMINAL.contains(type)) terminal = type;
    if (tty) {
      redraw();
    } else {
      String line = stage != null && type.startsWith("stage.") ? stageLine(stageName, stage) : detail;
      out.printf("#%-5s %-17s %s%n", frame.id() == null ? "-" : frame.id(), type, line);
    }
    return true;
  }

  String stageLine(String name, Stage s) {
    int width = stages.keySet().stream().mapToInt(String::length).max().orElse(8);
    int filled = (int) Math.max(0, Math.min(BAR, s.progress * BAR / 100));
    String line = String.format("%-" + width + "s  [%s] %3d%%  %s", name,
        "#".repeat(filled) + "-".repeat(BAR - filled), s.progress, s.message);
    return s.state.equals("done") ? color("32", line) : s.state.equals("failed") ? color("31", line)
        : s.state.equals("cancelled") ? color("33", line) : line;
  }

  /** Redraws the whole block: cursor up over the previous drawing, clear below, print. */
  void redraw() {
    List<String> lines = new ArrayList<>();
    lines.add("job " + jobId + "  " + colored(status) + "  " + jobProgress + "%"
        + (currentStage == null ? "" : "  (" + currentStage + ")"));
    stages.forEach((name, s) -> lines.add("  " + stageLine(name, s)));
    notes.forEach(n -> lines.add("  " + n));
    StringBuilder sb = new StringBuilder(drawn > 0 ? "\033[" + drawn + "A\r\033[J" : "");
    String cols = System.getenv("COLUMNS");
    int width = cols != null && cols.matches("\\d{2,4}") ? Math.max(40, Integer.parseInt(cols) - 1) : 119;
    for (String l : lines) { // why: a wrapped line would throw off the next cursor-up count
      String bare = l.replaceAll("\033\\[[0-9;]*m", "");
      sb.append(bare.length() > width ? bare.substring(0, width) : l).append('\n');
    }
    out.print(sb);
    out.flush();
    drawn = lines.size();
  }

  /** The job as the gateway has it; polls until it ends when the event stream was lost. */
  Map<String, Object> awaitJob(URI self, boolean followed) throws IOException, InterruptedException {
    for (long deadline = System.currentTimeMillis() + 900_000; ; Thread.sleep(2000)) {
      Reply r = call("GET", self, null);
      Map<String, Object> job = r.status == 200 ? Json.map(r.body) : Map.of();
      if (r.status != 200) problem("reading the job", r);
      if (r.status != 200 || followed || ENDED.contains(Json.str(job, "status"))
          || System.currentTimeMillis() > deadline) return job;
      out.printf("  %s %d%%%n", job.get("status"), Json.num(job, "progress"));
    }
  }

  void listArtifacts(URI uri) throws IOException, InterruptedException {
    Reply r = call("GET", uri, null);
    if (r.status != 200) {
      problem("listing the artifacts", r);
      return;
    }
    List<Object> items = Json.list(Json.map(r.body).get("items"));
    out.println("\nArtifacts (" + items.size() + "):");
    for (Object o : items) {
      Map<String, Object> a = Json.map(o);
      long bytes = Json.num(a, "size");
      out.printf("  %s  %s (%d bytes)  %s%n    sha256   %s%n    download %s%n",
          bold(Json.str(a, "name")), size(bytes), bytes, a.get("contentType"), a.get("sha256"),
          a.get("url"));
      if (a.get("expiresAt") != null) out.println("    expires  " + a.get("expiresAt"));
    }
  }

  record Reply(int status, Object body, String raw, String location) {}

  Reply call(String method, URI uri, String json) throws IOException, InterruptedException {
    var req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json").header("Authorization", "Bearer " + API_KEY).method(method, json == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) req.header("Content-Type", "application/json");
    HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    String location =
        resp.headers().firstValue("Location").map(l -> uri.resolve(l).toString()).orElse(null);
    return new Reply(resp.statusCode(), Json.parse(resp.body()), resp.body(), location);
  }

  /** Prints an RFC 9457 problem (or whatever came instead); returns exit status 1. */
  int problem(String what, Reply r) {
    Map<String, Object> p = Json.map(r.body);
    System.err.println(color("31", what + " failed: HTTP " + r.status));
    if (p.isEmpty()) {
      String raw = r.raw == null ? "" : r.raw.strip();
      System.err.println("  " + (raw.length() > 300 ? raw.substring(0, 300) + "..." : raw));
      return 1;
    }
    System.err.println("  " + p.getOrDefault("title", "")
        + (p.get("code") != null ? "  [" + p.get("code") + "]" : ""));
    if (p.get("detail") != null) System.err.println("  " + p.get("detail"));
    for (Object e : Json.list(p.get("errors"))) {
      Map<String, Object> fe = Json.map(e);
      System.err.printf("    %s: %s %s%n", fe.get("field"), fe.get("code"),
          fe.getOrDefault("message", ""));
    }
    return 1;
  }

  static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  static String size(long bytes) {
    if (bytes < 1024) return bytes + " B";
    int unit = (int) (Math.log(bytes) / Math.log(1024));
    return String.format("%.1f %siB", bytes / Math.pow(1024, unit), "KMGTPE".charAt(unit - 1));
  }

  String colored(String s) {
    String code = "succeeded".equals(s) ? "32" : "failed".equals(s) ? "31" : "33";
    return ENDED.contains(s) ? color(code, s) : String.valueOf(s);
  }

  String bold(String s) { return color("1", s); }
  String color(String code, String s) { return tty ? "\033[" + code + "m" + s + "\033[0m" : s; }

  /** Server-Sent Events framing: field lines until a blank one; ':' starts a comment. */
  static final class Sse {
    record Frame(String id, String event, String data) {}
    String id, event;
    Long retry;
    StringBuilder data;
    Frame line(String line) {
      if (line.isEmpty()) { // dispatch; the id stays, it is the stream's last event id
        Frame frame = data == null ? null : new Frame(id, event, data.toString());
        event = null;
        data = null;
        return frame;
      }
      if (line.startsWith(":")) return null; // comment, e.g. the keep-alive heartbeat
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) value = value.substring(1);
      switch (field) {
        case "id" -> id = value;
        case "event" -> event = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        case "retry" -> retry = value.matches("\\d{1,9}") ? Long.valueOf(value) : retry;
        default -> {} // unknown fields are ignored, as the SSE spec says
      }
      return null;
    }
  }

  /** A tiny JSON reader and writer: objects, arrays, strings, numbers, booleans, null. */
  static final class Json {
    final String s;
    int i;

    Json(String s) { this.s = s; }
    /** The parsed value, or null for blank or malformed text. */
    static Object parse(String text) {
      try {
        return text == null || text.isBlank() ? null : new Json(text).value();
      } catch (RuntimeException e) {
        return null;
      }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
      return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
      return o instanceof List<?> l ? (List<Object>) l : List.of();
    }
    static String str(Map<String, Object> m, String k) { return m.get(k) == null ? null : "" + m.get(k); }
    static long num(Map<String, Object> m, String k) {
      return m.get(k) instanceof Number n ? n.longValue() : 0;
    }

    Object value() {
      ws();
      char c = s.charAt(i);
      if (c == '{' || c == '[') {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> l = new ArrayList<>();
        char close = c == '{' ? '}' : ']';
        if (!eat(close)) {
          do {
            if (c == '[') l.add(value());
            else m.put(string(), eat(':') ? value() : fail(":"));
          } while (eat(','));
          if (!eat(close)) fail(String.valueOf(close));
        }
        return c == '{' ? m : l;
      }
      if (c == '"') return string();
      for (String literal : List.of("true", "false", "null")) {
        if (s.startsWith(literal, i)) {
          i += literal.length();
          return literal.equals("null") ? null : Boolean.valueOf(literal);
        }
      }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      String n = s.substring(start, i);
      return n.matches("-?\\d{1,18}") ? (Object) Long.valueOf(n) : (Object) Double.valueOf(n);
    }

    String string() {
      if (!eat('"')) fail("a string");
      StringBuilder b = new StringBuilder();
      for (char c = s.charAt(i++); c != '"'; c = s.charAt(i++)) {
        if (c != '\\') {
          b.append(c);
        } else if (s.charAt(i) == 'u') {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 5;
        } else { // \" \\ \/ stand for themselves
          char e = s.charAt(i++);
          int k = "ntrbf".indexOf(e);
          b.append(k < 0 ? e : "\n\t\r\b\f".charAt(k));
        }
      }
      return b.toString();
    }

    void ws() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }
    boolean eat(char c) {
      ws();
      boolean match = i < s.length() && s.charAt(i) == c;
      if (match) i++;
      return match;
    }
    Object fail(String expected) {
      throw new IllegalArgumentException("expected " + expected + " at " + i);
    }

    static String write(Object o) {
      if (o == null || o instanceof Number || o instanceof Boolean) return String.valueOf(o);
      if (o instanceof Map<?, ?> m) {
        return m.entrySet().stream().map(e -> write(String.valueOf(e.getKey())) + ":"
            + write(e.getValue())).collect(Collectors.joining(",", "{", "}"));
      }
      if (o instanceof List<?> l) {
        return l.stream().map(Json::write).collect(Collectors.joining(",", "[", "]"));
      }
      StringBuilder b = new StringBuilder("\"");
      for (char c : o.toString().toCharArray()) {
        if (c == '"' || c == '\\') b.append('\\').append(c);
        else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
        else b.append(c);
      }
      return b.append('"').toString();
    }
  }
}
