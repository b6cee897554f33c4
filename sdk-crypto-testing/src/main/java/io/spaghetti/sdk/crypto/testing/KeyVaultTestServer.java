package io.spaghetti.sdk.crypto.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * An Azure Key Vault protocol server for tests: HTTPS with a self-signed certificate, the bearer
 * challenge, an App Service style managed-identity token endpoint, and the key operations of
 * azure-security-keyvault-keys (keys, versions, rotate, rotation policy, update, wrap/unwrap,
 * encrypt/decrypt, sign/verify) with real RSA through JCA. The real Azure clients run against it.
 * Faults on demand: {@link #failNext}, {@link #latency}, {@link #down}, {@link #rejectTokens}.
 *
 * <pre>{@code
 * try (KeyVaultTestServer vault = KeyVaultTestServer.start()) {
 *     vault.createKey("orders-kek", 2048);
 *     // point the client at vault.vaultUrl(), trusting vault.caCertificate(), with vault.issueToken()
 *     // or managed identity: IDENTITY_ENDPOINT=vault.identityEndpoint(), IDENTITY_HEADER=vault.identityHeader()
 * }
 * }</pre>
 */
public final class KeyVaultTestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private final TestCertificate certificate;
    private final int port;
    private final int identityPort;
    private final String identityHeader;
    private final Map<String, List<KeyVersion>> keys = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> rotationPolicies = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> operations = new ConcurrentHashMap<>();
    private final List<String> identityClientIds = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicReference<Fault> fault = new AtomicReference<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "keyvault-test-server");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong faultsAnswered = new AtomicLong();
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean rejectTokens;
    private volatile HttpsServer vault;
    private volatile HttpServer identity;

    private record Fault(AtomicInteger remaining, int status, Duration retryAfter) {
    }

    private static final class KeyVersion {
        final String version;
        final KeyPair pair;
        final long created;
        volatile long updated;
        volatile boolean enabled = true;
        final List<String> keyOps;
        final String kty;

        KeyVersion(String version, KeyPair pair, List<String> keyOps, String kty) {
            this.version = version;
            this.pair = pair;
            this.created = System.currentTimeMillis() / 1000;
            this.updated = created;
            this.keyOps = List.copyOf(keyOps);
            this.kty = kty;
        }
    }

    private KeyVaultTestServer(int identityPort, String identityHeader) throws IOException {
        this.certificate = TestCertificate.get();
        this.identityHeader = identityHeader;
        this.vault = startVault(0);
        this.port = vault.getAddress().getPort();
        this.identity = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), identityPort), 0);
        this.identity.createContext("/msi/token", this::identityToken);
        this.identity.setExecutor(executor);
        this.identity.start();
        this.identityPort = identity.getAddress().getPort();
    }

    /** A server on free ports. */
    public static KeyVaultTestServer start() throws IOException {
        return start(0);
    }

    /** A server whose managed-identity endpoint listens on {@code identityPort} (fixed when a test sets IDENTITY_ENDPOINT up front). */
    public static KeyVaultTestServer start(int identityPort) throws IOException {
        return new KeyVaultTestServer(identityPort, "test-identity-header");
    }

    private HttpsServer startVault(int onPort) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        try {
            SSLContext ctx = certificate.serverContext();
            s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        s.createContext("/keys", this::keys);
        s.setExecutor(executor);
        s.start();
        return s;
    }

    // ---- what tests use

    /** {@code https://localhost:PORT}: the vault URL for the clients. */
    public String vaultUrl() {
        return "https://localhost:" + port;
    }

    /** PEM of the self-signed certificate the server presents. */
    public Path caCertificate() {
        return certificate.caPem;
    }

    /** PKCS#12 trust store holding that certificate; password {@link #trustStorePassword()}. */
    public Path trustStore() {
        return certificate.trustStore;
    }

    public String trustStorePassword() {
        return certificate.password;
    }

    /** The managed-identity endpoint: set IDENTITY_ENDPOINT to this and IDENTITY_HEADER to {@link #identityHeader()}. */
    public String identityEndpoint() {
        return "http://127.0.0.1:" + identityPort + "/msi/token";
    }

    public String identityHeader() {
        return identityHeader;
    }

    /** The client ids managed-identity token requests named, in order (null for the system-assigned identity). */
    public List<String> identityClientIds() {
        return java.util.Collections.unmodifiableList(new ArrayList<>(identityClientIds));
    }

    /** A bearer token the vault accepts, for a static credential. */
    public String issueToken() {
        String token = "test-token-" + UUID.randomUUID();
        tokens.add(token);
        return token;
    }

    /** Every bearer token handed out so far (tests check that none reaches a log). */
    public Set<String> issuedTokens() {
        return Set.copyOf(tokens);
    }

    /** Creates a key (or a new version of it) directly, as a portal user would. */
    public String createKey(String name, int size) {
        return addVersion(name, size, List.of("wrapKey", "unwrapKey", "encrypt", "decrypt", "sign", "verify"), "RSA-HSM")
                .version;
    }

    /** The versions of a key, oldest first. */
    public List<String> versions(String name) {
        return keys.getOrDefault(name, List.of()).stream().map(v -> v.version).toList();
    }

    /** The rotation policy last PUT for a key, or null. */
    public JsonNode rotationPolicy(String name) {
        return rotationPolicies.get(name);
    }

    /** How many requests an operation served (injected failures not included): get, create, rotate, versions, update, rotationpolicy, wrapkey, unwrapkey, encrypt, decrypt, sign, verify. */
    public long requests(String operation) {
        AtomicLong n = operations.get(operation);
        return n == null ? 0 : n.get();
    }

    /** How many requests were answered with an injected failure. */
    public long faultsAnswered() {
        return faultsAnswered.get();
    }

    /** The next {@code count} authorized requests answer {@code status} (429 with Retry-After when given). */
    public void failNext(int count, int status, Duration retryAfter) {
        fault.set(new Fault(new AtomicInteger(count), status, retryAfter));
    }

    /** Delay before every answer. */
    public void latency(Duration delay) {
        latency = delay;
    }

    /** Every bearer token is refused (401), as after a revoked identity. */
    public void rejectTokens(boolean reject) {
        rejectTokens = reject;
    }

    /** Stops listening (connection refused) or starts again on the same port. */
    public synchronized void down(boolean down) throws IOException {
        if (down && vault != null) {
            vault.stop(0);
            vault = null;
        } else if (!down && vault == null) {
            vault = startVault(port);
        }
    }

    @Override
    public synchronized void close() {
        if (vault != null) {
            vault.stop(0);
        }
        identity.stop(0);
        executor.shutdownNow();
    }

    // ---- managed identity

    private void identityToken(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        if (!identityHeader.equals(ex.getRequestHeaders().getFirst("X-IDENTITY-HEADER"))) {
            send(ex, 400, error("BadRequest", "X-IDENTITY-HEADER missing or wrong"));
            return;
        }
        identityClientIds.add(q.getOrDefault("client_id", q.get("clientid")));
        String token = issueToken();
        long now = System.currentTimeMillis() / 1000;
        ObjectNode body = JSON.createObjectNode().put("access_token", token).put("expires_on", Long.toString(now + 3600))
                .put("expires_in", "3600").put("resource", q.getOrDefault("resource", "https://vault.azure.net"))
                .put("token_type", "Bearer");
        send(ex, 200, body);
    }

    // ---- the vault

    private void keys(HttpExchange ex) throws IOException {
        try {
            sleep(latency);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null) {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/"
                        + TENANT + "\", resource=\"https://vault.azure.net\"");
                send(ex, 401, error("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."));
                return;
            }
            if (rejectTokens || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7))) {
                send(ex, 401, error("Unauthorized", "AKV10032: Invalid issuer."));
                return;
            }
            Fault f = fault.get();
            if (f != null && f.remaining().getAndDecrement() > 0) {
                faultsAnswered.incrementAndGet();
                if (f.retryAfter() != null) {
                    ex.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, f.retryAfter().toSeconds())));
                }
                send(ex, f.status(), error(f.status() == 429 ? "Throttled" : "InternalServerError",
                        "injected failure " + f.status()));
                return;
            }
            route(ex);
        } catch (RuntimeException | GeneralSecurityException e) {
            send(ex, 400, error("BadParameter", e.getMessage()));
        }
    }

    private void route(HttpExchange ex) throws IOException, GeneralSecurityException {
        // /keys/{name}[/{version}[/{op}]]; an unversioned CryptographyClient sends /keys/{name}//{op}
        String[] parts = ex.getRequestURI().getPath().split("/", -1);
        String method = ex.getRequestMethod();
        String name = parts.length > 2 ? parts[2] : "";
        String second = parts.length > 3 ? parts[3] : "";
        String op = parts.length > 4 ? parts[4] : null;
        JsonNode body = readBody(ex);
        if (op != null && !op.isEmpty()) {
            count(op);
            cryptoOperation(ex, name, second, op, body);
            return;
        }
        switch (second) {
            case "create" -> {
                count("create");
                int size = body.path("key_size").asInt(2048);
                List<String> ops = new ArrayList<>();
                body.path("key_ops").forEach(n -> ops.add(n.asText()));
                KeyVersion v = addVersion(name, size, ops.isEmpty() ? List.of("wrapKey", "unwrapKey") : ops,
                        body.path("kty").asText("RSA"));
                send(ex, 200, bundle(name, v));
            }
            case "rotate" -> {
                count("rotate");
                KeyVersion latest = latest(name);
                if (latest == null) {
                    send(ex, 404, notFound(name));
                    return;
                }
                int size = ((RSAPublicKey) latest.pair.getPublic()).getModulus().bitLength();
                send(ex, 200, bundle(name, addVersion(name, size, latest.keyOps, latest.kty)));
            }
            case "versions" -> {
                count("versions");
                List<Object> value = new ArrayList<>();
                for (KeyVersion v : keys.getOrDefault(name, List.of())) {
                    value.add(Map.of("kid", kid(name, v), "attributes", attributes(v)));
                }
                Map<String, Object> page = new LinkedHashMap<>();
                page.put("value", value);
                page.put("nextLink", null);
                send(ex, 200, JSON.valueToTree(page));
            }
            case "rotationpolicy" -> {
                count("rotationpolicy");
                if (method.equals("PUT")) {
                    ObjectNode policy = ((ObjectNode) body).put("id", vaultUrl() + "/keys/" + name + "/rotationpolicy");
                    rotationPolicies.put(name, policy);
                }
                JsonNode policy = rotationPolicies.get(name);
                send(ex, 200, policy != null ? policy : JSON.createObjectNode().put("id", vaultUrl() + "/keys/" + name
                        + "/rotationpolicy"));
            }
            default -> {
                KeyVersion v = second.isEmpty() ? latest(name) : find(name, second);
                if (v == null) {
                    send(ex, 404, notFound(name));
                    return;
                }
                if (method.equals("PATCH")) {
                    count("update");
                    JsonNode attrs = body.path("attributes");
                    if (attrs.has("enabled")) {
                        v.enabled = attrs.get("enabled").asBoolean();
                        v.updated = System.currentTimeMillis() / 1000;
                    }
                } else {
                    count("get");
                }
                send(ex, 200, bundle(name, v));
            }
        }
    }

    private void cryptoOperation(HttpExchange ex, String name, String version, String op, JsonNode body)
            throws IOException, GeneralSecurityException {
        KeyVersion v = version.isEmpty() ? latest(name) : find(name, version);
        if (v == null) {
            send(ex, 404, notFound(name));
            return;
        }
        if (!v.enabled) {
            send(ex, 403, error("Forbidden", "Operation " + op + " is not allowed on a disabled key.", "KeyDisabled"));
            return;
        }
        String alg = body.path("alg").asText();
        byte[] value = B64URL_DECODER.decode(body.path("value").asText());
        ObjectNode out = JSON.createObjectNode().put("kid", kid(name, v));
        switch (op) {
            case "wrapkey", "encrypt" -> out.put("value", B64URL.encodeToString(RsaOperations.encrypt(alg, v.pair, value)));
            case "unwrapkey", "decrypt" -> out.put("value", B64URL.encodeToString(RsaOperations.decrypt(alg, v.pair, value)));
            case "sign" -> out.put("value", B64URL.encodeToString(RsaOperations.sign(alg, v.pair, value)));
            case "verify" -> {
                byte[] digest = B64URL_DECODER.decode(body.path("digest").asText());
                send(ex, 200, JSON.createObjectNode().put("value", RsaOperations.verify(alg, v.pair, digest, value)));
                return;
            }
            default -> {
                send(ex, 400, error("BadParameter", "unknown operation " + op));
                return;
            }
        }
        send(ex, 200, out);
    }

    private KeyVersion addVersion(String name, int size, List<String> keyOps, String kty) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(size);
            KeyVersion v = new KeyVersion(UUID.randomUUID().toString().replace("-", ""), g.generateKeyPair(), keyOps, kty);
            keys.computeIfAbsent(name, n -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(v);
            return v;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private KeyVersion latest(String name) {
        List<KeyVersion> versions = keys.get(name);
        return versions == null || versions.isEmpty() ? null : versions.get(versions.size() - 1);
    }

    private KeyVersion find(String name, String version) {
        return keys.getOrDefault(name, List.of()).stream().filter(v -> v.version.equals(version)).findFirst()
                .orElse(null);
    }

    private String kid(String name, KeyVersion v) {
        return vaultUrl() + "/keys/" + name + "/" + v.version;
    }

    private JsonNode bundle(String name, KeyVersion v) {
        RSAPublicKey pub = (RSAPublicKey) v.pair.getPublic();
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("kid", kid(name, v));
        key.put("kty", v.kty);
        key.put("key_ops", v.keyOps);
        key.put("n", B64URL.encodeToString(RsaOperations.unsigned(pub.getModulus())));
        key.put("e", B64URL.encodeToString(RsaOperations.unsigned(pub.getPublicExponent())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", key);
        out.put("attributes", attributes(v));
        out.put("tags", Map.of());
        return JSON.valueToTree(out);
    }

    private static Map<String, Object> attributes(KeyVersion v) {
        Map<String, Object> a = new HashMap<>();
        a.put("enabled", v.enabled);
        a.put("created", v.created);
        a.put("updated", v.updated);
        a.put("recoveryLevel", "Recoverable+Purgeable");
        a.put("recoverableDays", 90);
        a.put("exportable", false);
        return a;
    }

    private void count(String operation) {
        operations.computeIfAbsent(operation, o -> new AtomicLong()).incrementAndGet();
    }

    private static JsonNode readBody(HttpExchange ex) throws IOException {
        byte[] bytes = ex.getRequestBody().readAllBytes();
        return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    }

    private static JsonNode notFound(String name) {
        return error("KeyNotFound", "A key with (name/id) " + name + " was not found in this key vault.");
    }

    private static JsonNode error(String code, String message) {
        return error(code, message, null);
    }

    private static JsonNode error(String code, String message, String innerCode) {
        ObjectNode e = JSON.createObjectNode().put("code", code).put("message", message);
        if (innerCode != null) {
            e.putObject("innererror").put("code", innerCode);
        }
        ObjectNode root = JSON.createObjectNode();
        root.set("error", e);
        return root;
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("x-ms-request-id", UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void sleep(Duration d) {
        if (!d.isZero()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted"));
            }
        }
    }
}
