package io.spaghetti.sdk.search.internal;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.spaghetti.sdk.core.json.SdkJson;
import io.spaghetti.sdk.search.internal.SearchErrors;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The least-privilege roles of {@code security/roles.yml}, installed through
 * {@code PUT _security/role} where the native realm is writable. Where it is not (file realm only,
 * as on the local distribution) it says so: the roles then come from roles.yml on every node.
 */
public final class SecurityRoles {
    private static final Logger log = LoggerFactory.getLogger(SecurityRoles.class);
    private static final ObjectMapper YAML = SdkJson.mapper(new YAMLFactory());

    /** Installed: role names written; fileRealmOnly: the cluster refused native role writes. */
    public record Outcome(List<String> installed, boolean fileRealmOnly, String reason) {
    }

    private SecurityRoles() {
    }

    /** The bundled role definitions by name, in the API's JSON shape. */
    public static Map<String, JsonNode> bundled() {
        try {
            JsonNode root = YAML.readTree(SearchBootstrap.bundled("security/roles.yml"));
            Map<String, JsonNode> roles = new java.util.LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                roles.put(e.getKey(), e.getValue());
            }
            return roles;
        } catch (IOException e) {
            throw new UncheckedIOException("security/roles.yml is not valid YAML", e);
        }
    }

    /** Needs a user with manage_security. */
    public static Outcome install(ElasticsearchClient client) {
        List<String> installed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> role : bundled().entrySet()) {
            try {
                client.security().putRole(r -> r.name(role.getKey()).withJson(new StringReader(role.getValue().toString())));
                installed.add(role.getKey());
            } catch (IOException | RuntimeException e) {
                int status = SearchErrors.status(e);
                // A 5xx is the cluster failing, not a realm that refuses writes: it must surface as an error.
                if (status == 400 || status == 403 || status == 405) {
                    String reason = "native role writes refused (" + status + "): roles come from roles.yml on every node";
                    log.info("Security roles: {}", reason);
                    return new Outcome(installed, true, reason);
                }
                throw SearchErrors.explain("install role " + role.getKey(), "(search user)", e);
            }
        }
        log.info("Security roles installed through the API: {}", installed);
        return new Outcome(installed, false, null);
    }
}
