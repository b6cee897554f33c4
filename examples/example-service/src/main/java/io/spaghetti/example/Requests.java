package io.spaghetti.example;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.spaghetti.sdk.core.json.SdkJson;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the example accepts, checked before anything runs: single-valued query parameters, id and tenant shapes,
 * JSON bodies of exactly the expected shape (no unknown field, no number where a string belongs). Every refusal
 * is a {@link Problem} that names the parameter and the fix.
 */
final class Requests {
    static final String ID = "[A-Za-z0-9_-]{1,64}";
    static final String TENANT = "[a-z0-9][a-z0-9-]{0,62}";
    static final ObjectMapper JSON = strict(SdkJson.mapper());

    private Requests() {
    }

    private static ObjectMapper strict(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }

    /** The JSON problem body every refusal of the service has: status, title, detail. */
    static String problemJson(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("title", title);
        body.put("detail", detail);
        return JSON.valueToTree(body).toString();
    }

    /** A 4xx with the reason a client can act on. */
    static final class Problem extends RuntimeException {
        final HttpStatus status;

        Problem(HttpStatus status, String detail) {
            super(detail);
            this.status = status;
        }

        static Problem badRequest(String detail) {
            return new Problem(HttpStatus.BAD_REQUEST, detail);
        }
    }

    static String id(Context ctx, String what) {
        String id = ctx.pathParam("id");
        if (!id.matches(ID)) {
            throw Problem.badRequest(what + " ids are 1 to 64 letters, digits, '-' or '_'");
        }
        return id;
    }

    static String tenant(Context ctx) {
        String tenant = single(ctx, "tenant", true);
        if (!tenant.matches(TENANT)) {
            throw Problem.badRequest("tenant must be one tenant id: 1 to 63 lower-case letters, digits or '-'");
        }
        return tenant;
    }

    /** A query parameter given at most once (a repeated one is refused, never silently the last). */
    static String single(Context ctx, String name, boolean required) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw Problem.badRequest("give " + name + " once (it was given " + values.size() + " times)");
        }
        if (values.isEmpty()) {
            if (required) {
                throw Problem.badRequest("the query parameter " + name + " is required");
            }
            return null;
        }
        return values.get(0);
    }

    static void requireJson(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new Problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send the body as Content-Type: application/json");
        }
    }

    /** The body as {@code type}; Javalin has already refused bodies over {@code http.maxRequestSize} with 413. */
    static <T> T body(Context ctx, Class<T> type) {
        requireJson(ctx);
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw Problem.badRequest("the request body is empty: send a JSON object");
        }
        try {
            T value = JSON.readValue(bytes, type);
            if (value == null) {
                throw Problem.badRequest("the request body is null: send a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage();
            throw Problem.badRequest("the request body is not the JSON this endpoint takes: "
                    + (reason.length() > 160 ? reason.substring(0, 160) + "..." : reason));
        } catch (IOException e) {
            throw Problem.badRequest("the request body could not be read: " + e.getMessage());
        }
    }

    static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw Problem.badRequest(field + " is required");
        }
        if (value.length() > max) {
            throw Problem.badRequest(field + " is longer than " + max + " characters");
        }
        return value;
    }

    static String optional(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw Problem.badRequest(field + " is longer than " + max + " characters");
        }
        return value;
    }
}
