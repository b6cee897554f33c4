package io.spaghetti.example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spaghetti.sdk.backplane.BackplaneModule;
import io.spaghetti.sdk.core.HealthReport;
import io.spaghetti.sdk.crypto.CryptoException;
import io.spaghetti.sdk.crypto.CryptoModule;
import io.spaghetti.sdk.signalr.Authenticator;
import io.spaghetti.sdk.signalr.HubUser;
import io.spaghetti.sdk.signalr.SignalRModule;
import io.spaghetti.sdk.signalr.SignalRServer;
import java.util.Optional;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.cache.TieredCache;
import io.spaghetti.sdk.flags.FlagContext;
import io.spaghetti.sdk.flags.FlagEvaluation;
import io.spaghetti.sdk.flags.Flags;
import io.spaghetti.sdk.flags.FlagsModule;
import io.spaghetti.sdk.search.DocumentStore;
import io.spaghetti.sdk.search.SearchDocument;
import io.spaghetti.sdk.search.SearchModule;
import io.spaghetti.sdk.search.SearchPage;
import io.spaghetti.sdk.search.SearchQuery;
import java.time.Instant;
import java.util.List;
import java.net.URLDecoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP service built on the SDK: copy it to start a new service.
 * {@code GET /health} is the SDK health report, {@code GET /metrics} the Prometheus text,
 * {@code GET /documents/{id}} reads a document through the tiered cache,
 * {@code POST /documents/{id}/notify} tells the document's collaborators on every server,
 * {@code GET /documents/{id}/events?user=u} streams them (server-sent events), {@code GET /documents/{id}/presence} lists them,
 * {@code POST /profiles/{id}?tenant=t} stores a profile with its email and phone encrypted, {@code GET} returns it decrypted,
 * {@code GET /flags?user=u&groups=g1,g2} shows each platform flag's evaluation details,
 * {@code POST /search/documents?tenant=t} indexes a document and {@code GET /search?tenant=t&q=...} searches a tenant.
 */
public final class ExampleService implements AutoCloseable {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final Sdk sdk;
    private final HttpServer server;
    private final ExecutorService executor;
    private final TieredCache<Document> documents;
    private final Collaboration collaboration;
    private final SignalRServer hubServer;

    /** What the example serves; a real service would load it from its database. */
    public record Document(String id, String title) {
    }

    public ExampleService(Sdk sdk, int port) throws IOException {
        this.sdk = sdk;
        this.server = HttpServer.create(new InetSocketAddress(port), 0);
        this.executor = Executors.newFixedThreadPool(4);
        this.documents = sdk.cache().cache("documents", Document.class);
        this.collaboration = new Collaboration(sdk.module(BackplaneModule.class));
        Profiles profiles = new Profiles(sdk.module(CryptoModule.class));
        sdk.aiMetrics().queueLength(() -> 0);
        server.setExecutor(executor);
        server.createContext("/health", this::health);
        server.createContext("/metrics", this::metrics);
        server.createContext("/documents/", this::document);
        server.createContext("/flags", this::flags);
        server.createContext("/profiles/", profiles::handle);
        server.createContext("/search/documents", this::indexDocument);
        server.createContext("/search", this::search);
        server.createContext("/ai/summarize", this::summarize);
        server.start();
        this.hubServer = startHubs(sdk);
    }

    /**
     * The collaboration hub for the npm SignalR client, on the hub server ({@code signalr.port}) with the page
     * that uses it. Anonymous access is for local environments only; elsewhere clients present a
     * {@code tk1.} token that {@code crypto.tokenKey} protected for the purpose {@code collaboration-user}.
     */
    private static SignalRServer startHubs(Sdk sdk) throws IOException {
        String environment = sdk.config().service().environment();
        boolean local = environment.equals("dev") || environment.equals("local");
        Authenticator authenticator = local ? Authenticator.anonymous() : token -> {
            if (token == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(new HubUser(sdk.module(CryptoModule.class).tokens().unprotect(token,
                        "collaboration-user")));
            } catch (CryptoException refused) {
                return Optional.empty();
            }
        };
        SignalRModule signalr = sdk.module(SignalRModule.class);
        signalr.hubs().map(DocumentHub.PATH, DocumentHub.NAME, new DocumentHub(), authenticator);
        try {
            return signalr.startServer(new CollaborationPage(CollaborationPage.defaultScript()));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("The hub server did not start on signalr.port: " + e.getMessage(), e);
        }
    }

    /** Where clients connect to the hubs, and open {@code /collab}. */
    public java.net.URI hubServerUri() {
        return hubServer.uri();
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        Sdk sdk = Sdk.bootstrap();
        ExampleService service = new ExampleService(sdk, port);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "example-shutdown"));
        System.out.printf("example-service listening on http://127.0.0.1:%d (/health, /metrics, /documents/{id}, /documents/{id}/events, /profiles/{id}?tenant=t, /flags?user=u&groups=beta_users, /search?tenant=t&q=words)%n", service.port());
        System.out.printf("collaboration hub %s%s, page %s/collab?document=welcome%n", service.hubServerUri(), DocumentHub.PATH,
                service.hubServerUri());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void health(HttpExchange exchange) throws IOException {
        HealthReport report = sdk.health();
        int status = report.status() == HealthStatus.DOWN ? 503 : 200;
        respond(exchange, status, "application/json", report.toJson());
    }

    private void document(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().substring("/documents/".length()).split("/", 2);
        String id = path[0];
        if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
            respond(exchange, 400, "text/plain", "document ids are 1 to 64 letters, digits, '-' or '_'\n");
            return;
        }
        String action = path.length > 1 ? path[1] : "";
        switch (action) {
            case "" -> readDocument(exchange, id);
            case "notify" -> collaboration.notify(exchange, id);
            case "events" -> collaboration.events(exchange, id);
            case "presence" -> collaboration.presence(exchange, id);
            default -> respond(exchange, 404, "text/plain",
                    "GET /documents/{id}, POST /documents/{id}/notify, GET /documents/{id}/events or /presence\n");
        }
    }

    private void readDocument(HttpExchange exchange, String id) throws IOException {
        Document doc = documents.get(id, ExampleService::loadFromDatabase);
        respond(exchange, 200, "application/json", JSON.writeValueAsString(doc));
    }

    private void flags(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        FlagContext.Builder ctx = FlagContext.builder().userId(query.get("user"));
        for (String g : query.getOrDefault("groups", "").split(",")) {
            if (!g.isBlank()) {
                ctx.group(g.trim());
            }
        }
        Flags flags = sdk.module(FlagsModule.class).flags();
        FlagContext context = ctx.build();
        Map<String, FlagEvaluation> out = new LinkedHashMap<>();
        for (String flag : new TreeSet<>(flags.knownFlags())) {
            out.put(flag, flags.evaluate(flag, context));
        }
        respond(exchange, 200, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    /** The JSON a client posts: the document without its tenant, which comes from the request. */
    record NewDocument(String id, String title, String body, List<String> tags) {
    }

    private void indexDocument(HttpExchange exchange) throws IOException {
        String tenant = query(exchange.getRequestURI().getRawQuery()).get("tenant");
        if (!"POST".equals(exchange.getRequestMethod()) || tenant == null) {
            respond(exchange, 400, "text/plain", "POST a JSON document to /search/documents?tenant=TENANT\n");
            return;
        }
        NewDocument in = JSON.readValue(exchange.getRequestBody(), NewDocument.class);
        Instant now = Instant.now();
        documentStore().index(new SearchDocument(in.id(), tenant, in.title(), in.body(), null, in.tags(), null,
                "published", now, now), true);
        respond(exchange, 201, "application/json", JSON.writeValueAsString(Map.of("id", in.id(), "tenant", tenant)));
    }

    private void search(HttpExchange exchange) throws IOException {
        Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
        if (q.get("tenant") == null) {
            respond(exchange, 400, "text/plain", "GET /search?tenant=TENANT&q=WORDS\n");
            return;
        }
        SearchPage page = documentStore().search(q.get("tenant"), SearchQuery.text(q.get("q")).withAggregations());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", page.total());
        out.put("hits", page.hits().stream().map(h -> Map.of("id", h.document().id(), "title", h.document().title(),
                "score", h.score(), "highlights", h.highlights())).toList());
        out.put("tags", page.tagCounts());
        respond(exchange, 200, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    /**
     * A stand-in for an AI provider call, instrumented as a real one would be: the "model" returns the
     * first sentence. Empty text is the provider's bad request.
     */
    private void summarize(HttpExchange exchange) throws IOException {
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        if (text.isBlank()) {
            sdk.aiMetrics().recordError("local-stub", "first-sentence", "bad_request",
                    java.time.Duration.ofNanos(System.nanoTime() - t0));
            respond(exchange, 400, "text/plain", "POST the text to summarize\n");
            return;
        }
        String summary = text.split("(?<=[.!?])\\s", 2)[0];
        sdk.aiMetrics().recordCall("local-stub", "first-sentence", java.time.Duration.ofNanos(System.nanoTime() - t0),
                text.length() / 4, summary.length() / 4, 0.0);
        respond(exchange, 200, "text/plain", summary + "\n");
    }

    private DocumentStore documentStore() {
        return sdk.module(SearchModule.class).documents();
    }

    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    private static Document loadFromDatabase(String id) {
        return new Document(id, "Document " + id);
    }

    private void metrics(HttpExchange exchange) throws IOException {
        if (!(sdk.meterRegistry() instanceof PrometheusMeterRegistry prometheus)) {
            respond(exchange, 404, "text/plain", "metrics are published through the application's own registry\n");
            return;
        }
        respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape());
    }

    static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        collaboration.close();
        server.stop(0);
        executor.shutdownNow();
        sdk.close();
    }
}
