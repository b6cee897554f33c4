package io.spaghetti.sdk.signalr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The official npm SignalR client in a Node process ({@code src/test/node/driver.js}): commands go in as
 * JSON lines, events come out as JSON lines, and the test waits for the event it expects.
 */
final class NodeClient implements AutoCloseable {
    static final Path DIR = Path.of("src/test/node").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Writer in;
    private final List<JsonNode> events = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    NodeClient() throws IOException, InterruptedException {
        installOnce();
        process = new ProcessBuilder("node", "driver.js").directory(DIR.toFile()).start();
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> read(process.inputReader(StandardCharsets.UTF_8)), "node-client-out");
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(() -> process.errorReader(StandardCharsets.UTF_8).lines().forEach(l -> {
            synchronized (stderr) {
                stderr.append(l).append('\n');
            }
        }), "node-client-err");
        errors.setDaemon(true);
        errors.start();
        await(e -> e.path("event").asText().equals("ready"), Duration.ofSeconds(20));
    }

    /** {@code npm ci} from the committed lock file when the packages are missing (a fresh clone). */
    static synchronized void installOnce() throws IOException, InterruptedException {
        if (Files.isDirectory(DIR.resolve("node_modules/@microsoft/signalr"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile())
                .redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(180, TimeUnit.SECONDS) || npm.exitValue() != 0) {
            throw new IllegalStateException("npm ci in " + DIR + " failed:\n" + out);
        }
    }

    private void read(BufferedReader out) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                JsonNode e;
                try {
                    e = JSON.readTree(line);
                } catch (IOException notJson) {
                    continue;
                }
                synchronized (events) {
                    events.add(e);
                    events.notifyAll();
                }
            }
        } catch (IOException ended) {
            // the process exited
        }
    }

    ObjectNode command(String cmd, String id) {
        return JSON.createObjectNode().put("cmd", cmd).put("id", id);
    }

    void send(ObjectNode command) throws IOException {
        in.write(command.toString() + "\n");
        in.flush();
    }

    /** Sends {@code command} and waits for its connection's event {@code event} (and {@code ref}, when set). */
    JsonNode call(ObjectNode command, String event) throws Exception {
        send(command);
        String id = command.path("id").asText();
        String ref = command.path("ref").asText(null);
        return await(e -> e.path("id").asText().equals(id) && (ref == null || ref.equals(e.path("ref").asText(null)))
                && (e.path("event").asText().equals(event) || e.path("event").asText().equals("error")
                || e.path("event").asText().equals("failed")), Duration.ofSeconds(20));
    }

    /** The first event (from the start) that matches and was not taken yet; removes it. */
    JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (int i = 0; i < events.size(); i++) {
                    if (match.test(events.get(i))) {
                        return events.remove(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("No matching event within " + timeout + "; events: " + events
                            + "\nnode stderr: " + stderr);
                }
                TimeUnit.NANOSECONDS.timedWait(events, left);
            }
        }
    }

    /** Every event of {@code kind} for connection {@code id} received so far, taken. */
    List<JsonNode> drain(String kind, String id) {
        synchronized (events) {
            List<JsonNode> out = events.stream().filter(e -> e.path("event").asText().equals(kind)
                    && e.path("id").asText().equals(id)).toList();
            events.removeAll(out);
            return out;
        }
    }

    JsonNode message(String id, String method) throws InterruptedException {
        return await(e -> e.path("event").asText().equals("message") && e.path("id").asText().equals(id)
                && e.path("method").asText().equals(method), Duration.ofSeconds(20));
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
