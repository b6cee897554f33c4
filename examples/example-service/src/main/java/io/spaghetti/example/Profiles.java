package io.spaghetti.example;

import static io.spaghetti.example.ExampleService.query;
import static io.spaghetti.example.ExampleService.respond;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.spaghetti.sdk.crypto.CryptoModule;
import io.spaghetti.sdk.crypto.FieldContext;
import io.spaghetti.sdk.crypto.FieldEncryptor;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Profiles with encrypted fields: email and phone are stored encrypted (bound to tenant and field),
 * as a database column would hold them, and returned decrypted.
 */
final class Profiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CryptoModule crypto;
    /** Stands in for the service's database. */
    private final Map<String, StoredProfile> table = new ConcurrentHashMap<>();

    record Profile(String id, String name, String email, String phone) {
    }

    /** A row as stored: the personal fields are ciphertexts. */
    record StoredProfile(String id, String tenant, String name, String email, String phone) {
    }

    Profiles(CryptoModule crypto) {
        this.crypto = crypto;
    }

    void handle(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/profiles/".length());
        String tenant = query(exchange.getRequestURI().getRawQuery()).get("tenant");
        if (!id.matches("[A-Za-z0-9_-]{1,64}") || tenant == null || tenant.isBlank()) {
            respond(exchange, 400, "text/plain", "use /profiles/{id}?tenant=TENANT (ids: letters, digits, '-', '_')\n");
            return;
        }
        FieldEncryptor fields;
        try {
            fields = crypto.fields();
        } catch (IllegalStateException e) {
            respond(exchange, 503, "text/plain", e.getMessage() + "\n");
            return;
        }
        if ("POST".equals(exchange.getRequestMethod()) || "PUT".equals(exchange.getRequestMethod())) {
            Profile in = JSON.readValue(exchange.getRequestBody(), Profile.class);
            StoredProfile row = new StoredProfile(id, tenant, in.name(),
                    fields.encryptString(in.email(), FieldContext.of(tenant, "profile.email")),
                    fields.encryptString(in.phone(), FieldContext.of(tenant, "profile.phone")));
            table.put(tenant + "/" + id, row);
            respond(exchange, 201, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(row));
            return;
        }
        StoredProfile row = table.get(tenant + "/" + id);
        if (row == null) {
            respond(exchange, 404, "text/plain", "no profile " + id + " for tenant " + tenant + "\n");
            return;
        }
        Profile out = new Profile(id, row.name(), fields.decryptString(row.email(), FieldContext.of(tenant, "profile.email")),
                fields.decryptString(row.phone(), FieldContext.of(tenant, "profile.phone")));
        respond(exchange, 200, "application/json", JSON.writeValueAsString(out));
    }
}
