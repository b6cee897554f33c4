package io.spaghetti.example;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spaghetti.sdk.backplane.BackplaneModule;
import io.spaghetti.sdk.core.HealthReport;
import io.spaghetti.sdk.core.ai.AiAnswer;
import io.spaghetti.sdk.core.ai.AiRequest;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.cache.TieredCache;
import io.spaghetti.sdk.crypto.CryptoException;
import io.spaghetti.sdk.crypto.CryptoModule;
import io.spaghetti.sdk.flags.FlagContext;
import io.spaghetti.sdk.flags.FlagEvaluation;
import io.spaghetti.sdk.flags.Flags;
import io.spaghetti.sdk.flags.FlagsModule;
import io.spaghetti.sdk.search.DocumentStore;
import io.spaghetti.sdk.search.SearchAccessException;
import io.spaghetti.sdk.search.SearchDocument;
import io.spaghetti.sdk.search.SearchModule;
import io.spaghetti.sdk.search.SearchPage;
import io.spaghetti.sdk.search.SearchQuery;
import io.spaghetti.sdk.signalr.Authenticator;
import io.spaghetti.sdk.signalr.HubUser;
import io.spaghetti.sdk.signalr.SignalRModule;
import io.spaghetti.sdk.signalr.SignalRServer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP service on the SDK without Spring (Javalin on Jetty): copy it to start a new one, or copy
 * examples/spring-boot-service for a Boot service. {@code GET /health} is the SDK health report, {@code GET /metrics}
 * the Prometheus text, {@code GET /documents/{id}} reads a document through the tiered cache,
 * {@code POST /documents/{id}/notify} tells the document's collaborators on every server,
 * {@code GET /documents/{id}/events?user=u} streams them (server-sent events), {@code GET /documents/{id}/presence} lists them,
 * {@code POST /profiles/{id}?tenant=t} stores a profile with its email and phone encrypted, {@code GET} returns it decrypted,
 * {@code GET /flags?user=u&groups=g1,g2} shows each platform flag's evaluation details,
 * {@code POST /search/documents?tenant=t} indexes a document and {@code GET /search?tenant=t&q=...} searches a tenant.
 * Every refusal is a JSON problem with a 4xx status and the reason; no body over 64 KiB is read.
 */
public final class ExampleService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExampleService.class);
    static final long MAX_BODY_BYTES = 64 * 1024;
    /** How long a client may pause mid-request before the server gives up on it (and its thread is free again). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

    private final Sdk sdk;
    private final Javalin app;
    private final TieredCache<Document> documents;
    private final Collaboration collaboration;
    private final Profiles profiles;
    private final SignalRServer hubServer;

    /** What the example serves; a real service would load it from its database. */
    public record Document(String id, String title) {
    }

    /** The JSON a client posts: the document without its tenant, which comes from the request. */
    record NewDocument(String id, String title, String body, List<String> tags) {
    }

    public ExampleService(Sdk sdk, int port) throws IOException {
        this.sdk = sdk;
        this.documents = sdk.cache().cache("documents", Document.class);
        this.collaboration = new Collaboration(sdk.module(BackplaneModule.class));
        this.profiles = new Profiles(sdk.module(CryptoModule.class));
        RequestTracing tracing = new RequestTracing(sdk.observationRegistry());
        sdk.aiMetrics().queueLength(() -> 0);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Requests.JSON, false));
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.http.prefer405over404 = true;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrors()));
            config.routes.before(tracing::before);
            config.routes.after(tracing::after);
            config.routes.get("/health", this::health);
            config.routes.get("/metrics", this::metrics);
            config.routes.get("/documents/{id}", this::readDocument);
            config.routes.post("/documents/{id}/notify", collaboration::notify);
            config.routes.post("/documents/{id}/share", this::share);
            config.routes.before("/documents/{id}/events", collaboration::checkEvents);
            config.routes.sse("/documents/{id}/events", collaboration::events);
            config.routes.get("/documents/{id}/presence", collaboration::presence);
            config.routes.get("/flags", this::flags);
            config.routes.post("/profiles/{id}", profiles::store);
            config.routes.put("/profiles/{id}", profiles::store);
            config.routes.get("/profiles/{id}", profiles::read);
            config.routes.post("/search/documents", this::indexDocument);
            config.routes.get("/search", this::search);
            config.routes.post("/search/clicks", this::click);
            config.routes.post("/ai/summarize", this::summarize);
            config.routes.exception(Requests.Problem.class, (e, ctx) -> problem(ctx, e.status.getCode(), e.getMessage()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, e.getStatus(), explain(e)));
            config.routes.exception(SearchAccessException.class, (e, ctx) -> {
                log.warn("search request failed: {}", e.getMessage());
                problem(ctx, 503, "search did not answer: " + e.getMessage());
            });
            config.routes.exception(CryptoException.class, (e, ctx) -> {
                log.warn("crypto request failed: {}", e.getMessage());
                problem(ctx, 503, "field encryption is not available: " + e.getMessage());
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                problem(ctx, 500, "the service failed on this request; it is logged");
            });
            config.routes.error(404, "*", ctx -> {
                if (!ctx.result().isEmpty() || ctx.contentType() != null && ctx.contentType().contains("json")) {
                    return;
                }
                problem(ctx, 404, "no route " + ctx.method() + " " + ctx.path()
                        + ": see the routes in the README's module table");
            });
            config.routes.error(405, "*", ctx -> problem(ctx, 405, ctx.method() + " is not allowed on " + ctx.path()));
        });
        app.start("0.0.0.0", port);
        for (var connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector c) {
                c.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            }
        }
        this.hubServer = startHubs(sdk);
    }

    /** A module's API, or a 503 naming the module and why (its accessors throw IllegalStateException while it is down). */
    static <T> T require(String module, Supplier<T> api) {
        try {
            return api.get();
        } catch (IllegalStateException e) {
            throw new Requests.Problem(HttpStatus.SERVICE_UNAVAILABLE, "the " + module + " module is not available: "
                    + e.getMessage());
        }
    }

    private static String explain(HttpResponseException e) {
        return e.getStatus() == 413 ? "the request body is larger than " + MAX_BODY_BYTES + " bytes" : e.getMessage();
    }

    static void problem(Context ctx, int status, String detail) {
        ctx.status(status).contentType("application/problem+json")
                .result(Requests.problemJson(status, HttpStatus.forStatus(status).getMessage(), detail));
    }

    /**
     * The collaboration hub for the npm SignalR client, on the hub server ({@code signalr.port}) with the page
     * that uses it. Anonymous access is for local environments only; elsewhere clients present a
     * {@code tk1.} token that {@code crypto.tokenKey} protected for the purpose {@code collaboration-user}.
     */
    private static SignalRServer startHubs(Sdk sdk) throws IOException {
        if (sdk.health().module("signalr").status() == HealthStatus.DISABLED) {
            log.info("The collaboration hub is off (signalr.enabled: false)");
            return null;
        }
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
        if (hubServer == null) {
            throw new IllegalStateException("the hub server is off (signalr.enabled: false)");
        }
        return hubServer.uri();
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        Sdk sdk = Sdk.bootstrap();
        ExampleService service = new ExampleService(sdk, port);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "example-shutdown"));
        log.info("example-service listening on http://127.0.0.1:{} (/health, /metrics, /documents/{{id}}, /documents/{{id}}/events, "
                + "/profiles/{{id}}?tenant=t, /flags?user=u&groups=beta_users, /search?tenant=t&q=words)", service.port());
        if (service.hubServer != null) {
            log.info("collaboration hub {}{}, page {}/collab?document=welcome", service.hubServerUri(), DocumentHub.PATH,
                    service.hubServerUri());
        }
    }

    public int port() {
        return app.port();
    }

    private void health(Context ctx) {
        HealthReport report = sdk.health();
        ctx.status(report.status() == HealthStatus.DOWN ? 503 : 200).contentType("application/json").result(report.toJson());
    }

    /** What a share tells the document's collaborators. */
    record Shared(String documentId, String by, long relatedDocuments) {
    }

    /**
     * One request that uses every part of the SDK (and so makes one trace of all of them): the document through the
     * cache, related documents from search, the sharer's profile decrypted, and the collaborators on every server told.
     */
    private void share(Context ctx) {
        String id = Requests.id(ctx, "document");
        String tenant = Requests.tenant(ctx);
        String profileId = Requests.single(ctx, "profile", true);
        if (!profileId.matches(Requests.ID)) {
            throw Requests.Problem.badRequest("profile ids are 1 to 64 letters, digits, '-' or '_'");
        }
        Document doc = documents.get(id, ExampleService::loadFromDatabase);
        SearchPage related = documentStore().search(tenant, new SearchQuery(doc.title(), List.of(), 5, null, false, false));
        Profiles.Profile by = profiles.decrypted(tenant, profileId);
        collaboration.hub().sendGroup(Collaboration.group(id), "DocumentShared",
                new Shared(id, by.name(), related.total())).join();
        ctx.status(HttpStatus.ACCEPTED).json(Map.of("group", Collaboration.group(id), "related", related.total()));
    }

    private void readDocument(Context ctx) {
        String id = Requests.id(ctx, "document");
        ctx.json(documents.get(id, ExampleService::loadFromDatabase));
    }

    private void flags(Context ctx) {
        String user = Requests.single(ctx, "user", false);
        if (user != null && !user.matches(Requests.ID)) {
            throw Requests.Problem.badRequest("user ids are 1 to 64 letters, digits, '-' or '_'");
        }
        String groups = Requests.single(ctx, "groups", false);
        if (groups != null && !groups.matches("([A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,19})?")) {
            throw Requests.Problem.badRequest("groups must be up to 20 group names separated by commas");
        }
        FlagContext.Builder context = FlagContext.builder().userId(user);
        if (groups != null && !groups.isEmpty()) {
            for (String g : groups.split(",")) {
                context.group(g);
            }
        }
        Flags flags = require("flags", () -> sdk.module(FlagsModule.class).flags());
        FlagContext built = context.build();
        Map<String, FlagEvaluation> out = new LinkedHashMap<>();
        for (String flag : new TreeSet<>(flags.knownFlags())) {
            out.put(flag, flags.evaluate(flag, built));
        }
        ctx.json(out);
    }

    private void indexDocument(Context ctx) {
        String tenant = Requests.tenant(ctx);
        NewDocument in = Requests.body(ctx, NewDocument.class);
        if (in.id() == null || !in.id().matches(Requests.ID)) {
            throw Requests.Problem.badRequest("id is required: 1 to 64 letters, digits, '-' or '_'");
        }
        String title = Requests.required("title", in.title(), 300);
        String body = Requests.optional("body", in.body(), 20_000);
        List<String> tags = in.tags() == null ? List.of() : in.tags();
        if (tags.size() > 20 || tags.stream().anyMatch(t -> t == null || !t.matches("[a-z0-9-]{1,32}"))) {
            throw Requests.Problem.badRequest("tags are up to 20 names of 1 to 32 lower-case letters, digits or '-'");
        }
        Instant now = Instant.now();
        documentStore().index(new SearchDocument(in.id(), tenant, title, body == null ? "" : body, null, tags, null,
                "published", now, now), true);
        ctx.status(HttpStatus.CREATED).json(Map.of("id", in.id(), "tenant", tenant));
    }

    private void search(Context ctx) {
        String tenant = Requests.tenant(ctx);
        String q = Requests.single(ctx, "q", false);
        Requests.optional("q", q, 200);
        SearchPage page = documentStore().search(tenant, SearchQuery.text(q == null ? "" : q).withAggregations());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", page.total());
        out.put("hits", page.hits().stream().map(h -> {
            Map<String, Object> hit = new LinkedHashMap<>();
            hit.put("id", h.document().id());
            hit.put("title", h.document().title());
            hit.put("score", h.score());
            hit.put("highlights", h.highlights());
            return hit;
        }).toList());
        out.put("tags", page.tagCounts());
        ctx.json(out);
    }

    /** A user opened the result at {@code position} (1 = first): the click-through metric. */
    private void click(Context ctx) {
        String tenant = Requests.tenant(ctx);
        String position = Requests.single(ctx, "position", true);
        int p;
        try {
            p = Integer.parseInt(position);
        } catch (NumberFormatException e) {
            p = 0;
        }
        if (p < 1 || p > 1000) {
            throw Requests.Problem.badRequest("position must be a whole number from 1 (the first result) to 1000");
        }
        documentStore().recordClick(tenant, p);
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /**
     * A stand-in for an AI provider call, instrumented as a real one would be: the "model" returns the
     * first sentence. Empty text is the provider's bad request.
     */
    private void summarize(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.startsWith("text/plain")) {
            throw new Requests.Problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send the text as Content-Type: text/plain");
        }
        String text = ctx.body();
        long t0 = System.nanoTime();
        if (text.isBlank()) {
            sdk.aiMetrics().recordError("local-stub", "first-sentence", "bad_request", Duration.ofNanos(System.nanoTime() - t0));
            throw Requests.Problem.badRequest("POST the text to summarize");
        }
        // Through the AI cache: the same text again (on any instance) is answered without calling the "provider".
        AiAnswer answer = sdk.aiCache().answer(AiRequest.of("local-stub", "first-sentence", text.strip()), request -> {
            String summary = request.prompt().split("(?<=[.!?])\\s", 2)[0];
            sdk.aiMetrics().recordCall("local-stub", "first-sentence", Duration.ofNanos(System.nanoTime() - t0),
                    request.prompt().length() / 4, summary.length() / 4, 0.0);
            return new AiAnswer(summary, request.prompt().length() / 4, summary.length() / 4, 0.0);
        });
        ctx.contentType("text/plain; charset=utf-8").result(answer.text() + "\n");
    }

    private DocumentStore documentStore() {
        return require("search", () -> sdk.module(SearchModule.class).documents());
    }

    private static Document loadFromDatabase(String id) {
        return new Document(id, "Document " + id);
    }

    private void metrics(Context ctx) {
        if (!(sdk.meterRegistry() instanceof PrometheusMeterRegistry prometheus)) {
            throw new Requests.Problem(HttpStatus.NOT_FOUND, "metrics are published through the application's own registry");
        }
        // OpenMetrics when asked (a Prometheus with exemplar storage asks): the format that carries exemplars.
        String accept = ctx.header("Accept");
        String type = accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8" : "text/plain; version=0.0.4; charset=utf-8";
        ctx.contentType(type).result(prometheus.scrape(type));
    }

    @Override
    public void close() {
        collaboration.close();
        app.stop();
        sdk.close();
    }
}
