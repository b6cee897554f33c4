package io.spaghetti.example.boot;

import io.spaghetti.sdk.crypto.FieldContext;
import io.spaghetti.sdk.crypto.FieldEncryptor;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code PUT /profiles/{id}?tenant=t} stores a profile with its email and phone encrypted (bound to tenant and
 * field, as a database column would hold them); {@code GET} returns it decrypted. The body is validated whole
 * before anything is encrypted or stored.
 */
@RestController
@RequestMapping("/profiles/{id}")
class ProfileController {
    private final FieldEncryptor fields;
    /** Stands in for the service's database. */
    private final Map<String, StoredProfile> table = new ConcurrentHashMap<>();

    ProfileController(FieldEncryptor fields) {
        this.fields = fields;
    }

    record Profile(@NotBlank @Size(max = 200) String name, @NotBlank @Email @Size(max = 254) String email,
            @NotBlank @Pattern(regexp = "\\+?[0-9 ()-]{3,32}", message = "must be a phone number such as +1 555 0100") String phone) {
    }

    /** A row as stored: the personal fields are ciphertexts. */
    record StoredProfile(String id, String tenant, String name, String email, String phone) {
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    StoredProfile store(@PathVariable @Pattern(regexp = Ids.ID, message = Ids.ID_RULE) String id,
            @RequestParam @Pattern(regexp = Ids.TENANT, message = Ids.TENANT_RULE) String tenant,
            @Valid @RequestBody Profile in) {
        StoredProfile row = new StoredProfile(id, tenant, in.name(),
                fields.encryptString(in.email(), FieldContext.of(tenant, "profile.email")),
                fields.encryptString(in.phone(), FieldContext.of(tenant, "profile.phone")));
        table.put(tenant + "/" + id, row);
        return row;
    }

    @GetMapping
    Profile read(@PathVariable @Pattern(regexp = Ids.ID, message = Ids.ID_RULE) String id,
            @RequestParam @Pattern(regexp = Ids.TENANT, message = Ids.TENANT_RULE) String tenant) {
        StoredProfile row = table.get(tenant + "/" + id);
        if (row == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "No profile " + id + " for tenant " + tenant + ": PUT it first");
        }
        return new Profile(row.name(), fields.decryptString(row.email(), FieldContext.of(tenant, "profile.email")),
                fields.decryptString(row.phone(), FieldContext.of(tenant, "profile.phone")));
    }
}
