package io.spaghetti.example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spaghetti.sdk.core.HealthReport;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.Sdk;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP service built on the SDK: copy it to start a new service.
 * {@code GET /health} is the SDK health report, {@code GET /metrics} the Prometheus text.
 */
public final class ExampleService implements AutoCloseable {
    private final Sdk sdk;
    private final HttpServer server;
    private final ExecutorService executor;

    public ExampleService(Sdk sdk, int port) throws IOException {
        this.sdk = sdk;
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        this.executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/health", this::health);
        server.createContext("/metrics", this::metrics);
        server.start();
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        Sdk sdk = Sdk.bootstrap();
        ExampleService service = new ExampleService(sdk, port);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "example-shutdown"));
        System.out.printf("example-service listening on http://127.0.0.1:%d (/health, /metrics)%n", service.port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void health(HttpExchange exchange) throws IOException {
        HealthReport report = sdk.health();
        int status = report.status() == HealthStatus.DOWN ? 503 : 200;
        respond(exchange, status, "application/json", report.toJson());
    }

    private void metrics(HttpExchange exchange) throws IOException {
        if (!(sdk.meterRegistry() instanceof PrometheusMeterRegistry prometheus)) {
            respond(exchange, 404, "text/plain", "metrics are published through the application's own registry\n");
            return;
        }
        respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape());
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        sdk.close();
    }
}
