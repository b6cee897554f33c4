package io.spaghetti.sdk.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * Records what the client sends, for tests that assert the exact JSON of a request the local
 * cluster cannot answer (it has no ILM). Answers from {@code responses} by "METHOD path", else 404.
 */
final class RecordingElasticsearch implements AutoCloseable {
    record Request(String method, String path, String body) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Map<String, String> responses = new ConcurrentHashMap<>();
    private final List<String> failing = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final RestClient rest;

    RecordingElasticsearch() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body));
            if (failing.stream().anyMatch(key::startsWith)) {
                byte[] error = "{\"error\":{\"type\":\"internal\",\"reason\":\"boom\"},\"status\":500}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(500, error.length);
                exchange.getResponseBody().write(error);
                exchange.close();
                return;
            }
            String answer = responses.getOrDefault(key, key.startsWith("PUT ") ? "{\"acknowledged\":true,"
                    + "\"shards_acknowledged\":true,\"index\":\"" + exchange.getRequestURI().getPath().substring(1) + "\"}"
                    : null);
            byte[] out = (answer == null ? "{\"error\":{\"type\":\"resource_not_found_exception\"},\"status\":404}"
                    : answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(answer == null ? 404 : 200, head ? -1 : out.length);
            if (!head) {
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        server.start();
        rest = RestClient.builder(new HttpHost("127.0.0.1", server.getAddress().getPort(), "http")).build();
    }

    /** Requests whose "METHOD path" starts with {@code prefix} get a 500. */
    void failWith500(String prefix) {
        failing.add(prefix);
    }

    ElasticsearchClient client() {
        return new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
    }

    String bodyOf(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).map(Request::body)
                .findFirst().orElseThrow(() -> new AssertionError("no " + method + " " + path + " in " + requests));
    }

    @Override
    public void close() throws IOException {
        rest.close();
        server.stop(0);
    }
}
