package io.spaghetti.example;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.spaghetti.sdk.crypto.CryptoModule;
import io.spaghetti.sdk.crypto.FieldContext;
import io.spaghetti.sdk.crypto.FieldEncryptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Profiles with encrypted fields: email and phone are stored encrypted (bound to tenant and field),
 * as a database column would hold them, and returned decrypted. A profile is validated whole before
 * anything is encrypted or stored.
 */
final class Profiles {
    private final CryptoModule crypto;
    /** Stands in for the service's database. */
    private final Map<String, StoredProfile> table = new ConcurrentHashMap<>();

    record Profile(String name, String email, String phone) {
    }

    /** A row as stored: the personal fields are ciphertexts. */
    record StoredProfile(String id, String tenant, String name, String email, String phone) {
    }

    Profiles(CryptoModule crypto) {
        this.crypto = crypto;
    }

    void store(Context ctx) {
        String id = Requests.id(ctx, "profile");
        String tenant = Requests.tenant(ctx);
        Profile in = Requests.body(ctx, Profile.class);
        String name = Requests.required("name", in.name(), 200);
        String email = Requests.required("email", in.email(), 254);
        String phone = Requests.required("phone", in.phone(), 32);
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw Requests.Problem.badRequest("email must be an address such as alice@example.com");
        }
        if (!phone.matches("\\+?[0-9 ()-]{3,32}")) {
            throw Requests.Problem.badRequest("phone must be a phone number such as +1 555 0100");
        }
        FieldEncryptor fields = fields();
        StoredProfile row = new StoredProfile(id, tenant, name,
                fields.encryptString(email, FieldContext.of(tenant, "profile.email")),
                fields.encryptString(phone, FieldContext.of(tenant, "profile.phone")));
        table.put(tenant + "/" + id, row);
        ctx.status(HttpStatus.CREATED).json(row);
    }

    void read(Context ctx) {
        ctx.json(decrypted(Requests.tenant(ctx), Requests.id(ctx, "profile")));
    }

    /** The tenant's profile with its fields decrypted; a 404 when there is none. */
    Profile decrypted(String tenant, String id) {
        StoredProfile row = table.get(tenant + "/" + id);
        if (row == null) {
            throw new Requests.Problem(HttpStatus.NOT_FOUND, "no profile " + id + " for tenant " + tenant + ": POST it first");
        }
        FieldEncryptor fields = fields();
        return new Profile(row.name(), fields.decryptString(row.email(), FieldContext.of(tenant, "profile.email")),
                fields.decryptString(row.phone(), FieldContext.of(tenant, "profile.phone")));
    }

    private FieldEncryptor fields() {
        return ExampleService.require("crypto", crypto::fields);
    }
}
