package io.spaghetti.sdk.core.ai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.json.SdkJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One AI call as the cache sees it: who answers, the prompt, every parameter that changes the answer
 * (temperature, max tokens, system prompt, tools...) and the tenant whose data it holds. The cache keys it by a
 * SHA-256 of all of it, so the prompt is never stored; {@link #toString()} leaves it out too, so it never reaches a
 * log line.
 *
 * @param tenant the tenant the answer belongs to (no other tenant's request finds it; an encrypted cache binds
 *               the answer to it), or null for answers any tenant may share
 */
public record AiRequest(String provider, String model, String prompt, Map<String, Object> parameters,
        String tenant) {
    private static final ObjectMapper JSON = SdkJson.mapper();

    public AiRequest {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters == null ? Map.of() : parameters));
    }

    public static AiRequest of(String provider, String model, String prompt) {
        return new AiRequest(provider, model, prompt, Map.of(), null);
    }

    /** A copy whose answer belongs to {@code tenant}. */
    public AiRequest forTenant(String tenant) {
        return new AiRequest(provider, model, prompt, parameters, tenant);
    }

    /** A copy with one more parameter that changes the answer. */
    public AiRequest with(String parameter, Object value) {
        Map<String, Object> more = new TreeMap<>(parameters);
        more.put(parameter, value);
        return new AiRequest(provider, model, prompt, more, tenant);
    }

    /** The cache key: hex SHA-256 of the canonical JSON of provider, model, prompt, sorted parameters and tenant. */
    public String key() {
        try {
            byte[] canonical = JSON.writeValueAsBytes(tenant == null ? List.of(provider, model, prompt, parameters)
                    : List.of(provider, model, prompt, parameters, tenant));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("AI request parameters must be JSON values (strings, numbers, "
                    + "booleans, lists, maps): " + e.getOriginalMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "AiRequest[provider=" + provider + ", model=" + model + ", prompt=<" + prompt.getBytes(StandardCharsets.UTF_8).length
                + " bytes>, parameters=" + parameters.keySet() + "]";
    }
}
