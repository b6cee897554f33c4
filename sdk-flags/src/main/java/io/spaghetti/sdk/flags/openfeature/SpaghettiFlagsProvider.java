package io.spaghetti.sdk.flags.openfeature;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.MutableStructure;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Value;
import io.spaghetti.sdk.core.json.SdkJson;
import io.spaghetti.sdk.flags.FlagContext;
import io.spaghetti.sdk.flags.FlagEvaluation;
import io.spaghetti.sdk.flags.FlagPayload;
import io.spaghetti.sdk.flags.FlagReason;
import io.spaghetti.sdk.flags.Flags;
import io.spaghetti.sdk.flags.FlagsListener;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An OpenFeature provider backed by {@link Flags}:
 * {@code OpenFeatureAPI.getInstance().setProviderAndWait(new SpaghettiFlagsProvider(sdk.module(FlagsModule.class).flags()))}.
 *
 * <p>Booleans are the flag's value. Strings, numbers and objects come from the chosen variant's payload: a string
 * is the payload's text (the variant's name when it has none); an integer or a double needs a {@code number}
 * payload; an object is a {@code json} payload, a {@code csv} payload as a list, or a string or number payload as
 * that value. A flag that is off, or on without a variant, answers the default with its reason.
 *
 * <p>The targeting key is the user id; the attributes {@code userId}, {@code sessionId}, {@code remoteAddress},
 * {@code environment}, {@code appName}, {@code currentTime} (an instant or ISO-8601 text), {@code tenant},
 * {@code groups} (a list or comma-separated text) and any others map onto {@link FlagContext}.
 *
 * <p>Events: STALE while the server is unreachable and the SDK answers from its last state, ERROR when it refuses
 * the API token, READY when it answers again, CONFIGURATION_CHANGED with the flags a new state changed.
 */
public final class SpaghettiFlagsProvider extends EventProvider {
    private static final ObjectMapper JSON = SdkJson.mapper();

    private final Flags flags;
    private final AtomicBoolean listening = new AtomicBoolean();
    private volatile boolean shutDown;

    public SpaghettiFlagsProvider(Flags flags) {
        this.flags = flags;
    }

    @Override
    public Metadata getMetadata() {
        return () -> "spaghetti-flags";
    }

    /**
     * Starts listening just after initialization: the API marks the provider READY when this returns, which would
     * overwrite a STALE or ERROR sent from here; the listener, once added, is told the state under way (an outage
     * or a refused token) and so moves the provider out of READY again.
     */
    @Override
    public void initialize(EvaluationContext evaluationContext) {
        shutDown = false;
        if (listening.compareAndSet(false, true)) {
            CompletableFuture.runAsync(() -> flags.addListener(new Events()),
                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public void shutdown() {
        shutDown = true;
        super.shutdown();
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        FlagEvaluation e = flags.evaluate(key, toContext(ctx));
        if (e.reason() == FlagReason.ERROR) {
            return error(e, defaultValue);
        }
        return answer(e, e.value());
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return fromVariant(key, defaultValue, ctx, "string", e -> e.payload() == null ? e.variant()
                : e.payload().value());
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return fromVariant(key, defaultValue, ctx, "integer", e -> Integer.valueOf(number(e).trim()));
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return fromVariant(key, defaultValue, ctx, "double", e -> Double.valueOf(number(e).trim()));
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return fromVariant(key, defaultValue, ctx, "object", SpaghettiFlagsProvider::object);
    }

    private <T> ProviderEvaluation<T> fromVariant(String key, T defaultValue, EvaluationContext ctx, String type,
            Function<FlagEvaluation, T> value) {
        FlagEvaluation e = flags.evaluate(key, toContext(ctx));
        if (e.reason() == FlagReason.ERROR) {
            return error(e, defaultValue);
        }
        if (!e.value() || !e.variantEnabled()) {
            return answer(e, defaultValue);
        }
        try {
            return answer(e, value.apply(e));
        } catch (TypeMismatch m) {
            return failure(e, defaultValue, ErrorCode.TYPE_MISMATCH, "flag '" + key + "' variant '" + e.variant()
                    + "' has a " + m.getMessage() + " payload, not a value for a " + type + " evaluation");
        } catch (NumberFormatException | ParseFailure p) {
            return failure(e, defaultValue, ErrorCode.PARSE_ERROR, "flag '" + key + "' variant '" + e.variant()
                    + "' has a payload that is not a valid " + e.payload().type() + " (" + type + " evaluation)");
        }
    }

    private static String number(FlagEvaluation e) {
        if (e.payload() == null || !"number".equals(e.payload().type())) {
            throw new TypeMismatch(e.payload() == null ? "missing" : e.payload().type());
        }
        return e.payload().value();
    }

    private static Value object(FlagEvaluation e) {
        FlagPayload p = e.payload();
        if (p == null) {
            throw new TypeMismatch("missing");
        }
        switch (p.type()) {
            case "json":
                try {
                    return value(JSON.readTree(p.value()));
                } catch (JsonProcessingException x) {
                    throw new ParseFailure();
                }
            case "csv":
                return new Value(Arrays.stream(p.value().split(",", -1)).map(s -> new Value(s.trim())).toList());
            case "number":
                return new Value(Double.valueOf(p.value().trim()));
            default:
                return new Value(p.value());
        }
    }

    private static Value value(JsonNode n) {
        if (n.isObject()) {
            MutableStructure s = new MutableStructure();
            n.fields().forEachRemaining(f -> s.add(f.getKey(), value(f.getValue())));
            return new Value(s);
        }
        if (n.isArray()) {
            List<Value> list = new ArrayList<>();
            n.forEach(x -> list.add(value(x)));
            return new Value(list);
        }
        if (n.isNumber()) {
            return n.isIntegralNumber() && n.canConvertToInt() ? new Value(n.intValue()) : new Value(n.doubleValue());
        }
        if (n.isBoolean()) {
            return new Value(n.booleanValue());
        }
        return n.isNull() ? new Value() : new Value(n.asText());
    }

    private static <T> ProviderEvaluation<T> answer(FlagEvaluation e, T value) {
        return ProviderEvaluation.<T>builder().value(value).variant(e.variant()).reason(e.reason().name())
                .flagMetadata(metadata(e)).build();
    }

    private static <T> ProviderEvaluation<T> error(FlagEvaluation e, T defaultValue) {
        ErrorCode code = "FLAG_NOT_FOUND".equals(e.errorCode()) ? ErrorCode.FLAG_NOT_FOUND : ErrorCode.GENERAL;
        return ProviderEvaluation.<T>builder().value(defaultValue).reason("ERROR").errorCode(code)
                .errorMessage("flag '" + e.flag() + "': " + e.errorCode()).build();
    }

    private static <T> ProviderEvaluation<T> failure(FlagEvaluation e, T defaultValue, ErrorCode code, String message) {
        return ProviderEvaluation.<T>builder().value(defaultValue).variant(e.variant()).reason("ERROR")
                .errorCode(code).errorMessage(message).flagMetadata(metadata(e)).build();
    }

    private static ImmutableMetadata metadata(FlagEvaluation e) {
        ImmutableMetadata.ImmutableMetadataBuilder m = ImmutableMetadata.builder()
                .addBoolean("enabled", e.value()).addBoolean("variantEnabled", e.variantEnabled());
        if (e.payload() != null) {
            m.addString("payloadType", e.payload().type());
        }
        return m.build();
    }

    static FlagContext toContext(EvaluationContext ctx) {
        FlagContext.Builder b = FlagContext.builder();
        if (ctx == null) {
            return b.build();
        }
        for (Map.Entry<String, Value> e : ctx.asMap().entrySet()) {
            Value v = e.getValue();
            if (v == null || v.isNull()) {
                continue;
            }
            switch (e.getKey()) {
                case "targetingKey", "userId" -> b.userId(text(v));
                case "sessionId" -> b.sessionId(text(v));
                case "remoteAddress" -> b.remoteAddress(text(v));
                case "environment" -> b.environment(text(v));
                case "appName" -> b.appName(text(v));
                case "tenant" -> b.tenant(text(v));
                case "currentTime" -> b.currentTime(instant(v));
                case "groups" -> {
                    if (v.isList()) {
                        v.asList().forEach(g -> b.group(text(g)));
                    } else {
                        for (String g : text(v).split(",")) {
                            if (!g.isBlank()) {
                                b.group(g.trim());
                            }
                        }
                    }
                }
                default -> {
                    if (v.isString() || v.isNumber() || v.isBoolean() || v.isInstant()) {
                        b.property(e.getKey(), text(v));
                    }
                }
            }
        }
        // the targeting key wins over a userId attribute
        if (ctx.getTargetingKey() != null && !ctx.getTargetingKey().isEmpty()) {
            b.userId(ctx.getTargetingKey());
        }
        return b.build();
    }

    private static String text(Value v) {
        if (v.isString()) {
            return v.asString();
        }
        if (v.isInstant()) {
            return v.asInstant().toString();
        }
        Object o = v.asObject();
        if (o instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(o);
    }

    private static Instant instant(Value v) {
        if (v.isInstant()) {
            return v.asInstant();
        }
        try {
            return Instant.parse(text(v));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("context attribute currentTime '" + text(v)
                    + "' is not an ISO-8601 instant such as 2026-12-01T10:00:00Z");
        }
    }

    private final class Events implements FlagsListener {
        @Override
        public void serverReachable() {
            if (!shutDown) {
                emitProviderReady(ProviderEventDetails.builder().message("Unleash reachable").build());
            }
        }

        @Override
        public void serverUnreachable(String source) {
            if (!shutDown) {
                emitProviderStale(ProviderEventDetails.builder()
                        .message("Unleash unreachable; answering from the " + source).build());
            }
        }

        @Override
        public void serverRefused(String reason) {
            if (!shutDown) {
                emitProviderError(ProviderEventDetails.builder().errorCode(ErrorCode.GENERAL).message(reason).build());
            }
        }

        @Override
        public void flagsChanged(Set<String> changed) {
            if (!shutDown) {
                emitProviderConfigurationChanged(ProviderEventDetails.builder()
                        .flagsChanged(List.copyOf(changed)).message("flags changed").build());
            }
        }
    }

    private static final class TypeMismatch extends RuntimeException {
        TypeMismatch(String payloadType) {
            super(payloadType, null, false, false);
        }
    }

    private static final class ParseFailure extends RuntimeException {
        ParseFailure() {
            super(null, null, false, false);
        }
    }
}
