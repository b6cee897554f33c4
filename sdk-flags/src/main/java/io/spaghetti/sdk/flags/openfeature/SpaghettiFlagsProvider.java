package io.spaghetti.sdk.flags.openfeature;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import io.spaghetti.sdk.flags.FlagContext;
import io.spaghetti.sdk.flags.FlagEvaluation;
import io.spaghetti.sdk.flags.FlagReason;
import io.spaghetti.sdk.flags.Flags;
import java.util.Map;

/**
 * An OpenFeature provider backed by {@link Flags}:
 * {@code OpenFeatureAPI.getInstance().setProviderAndWait(new SpaghettiFlagsProvider(sdk.module(FlagsModule.class).flags()))}.
 * The targeting key is the user id; the context attributes {@code sessionId}, {@code tenant},
 * {@code groups} (a list or comma-separated text) and any others map onto {@link FlagContext}.
 * Flags are boolean: the other types answer their default with {@code TYPE_MISMATCH}.
 */
public final class SpaghettiFlagsProvider implements FeatureProvider {
    private final Flags flags;

    public SpaghettiFlagsProvider(Flags flags) {
        this.flags = flags;
    }

    @Override
    public Metadata getMetadata() {
        return () -> "spaghetti-flags";
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        FlagEvaluation e = flags.evaluate(key, toContext(ctx));
        ProviderEvaluation.ProviderEvaluationBuilder<Boolean> b = ProviderEvaluation.<Boolean>builder()
                .variant(e.variant()).reason(e.reason().name());
        if (e.reason() == FlagReason.ERROR) {
            return b.value(defaultValue)
                    .errorCode("FLAG_NOT_FOUND".equals(e.errorCode()) ? ErrorCode.FLAG_NOT_FOUND : ErrorCode.GENERAL)
                    .errorMessage("flag '" + key + "': " + e.errorCode()).build();
        }
        return b.value(e.value()).build();
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return mismatch(defaultValue);
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return mismatch(defaultValue);
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return mismatch(defaultValue);
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return mismatch(defaultValue);
    }

    private static <T> ProviderEvaluation<T> mismatch(T defaultValue) {
        return ProviderEvaluation.<T>builder().value(defaultValue).reason("ERROR").errorCode(ErrorCode.TYPE_MISMATCH)
                .errorMessage("spaghetti flags are boolean").build();
    }

    static FlagContext toContext(EvaluationContext ctx) {
        FlagContext.Builder b = FlagContext.builder();
        if (ctx == null) {
            return b.build();
        }
        b.userId(ctx.getTargetingKey());
        for (Map.Entry<String, Value> e : ctx.asMap().entrySet()) {
            Value v = e.getValue();
            switch (e.getKey()) {
                case "targetingKey" -> { }
                case "sessionId" -> b.sessionId(v.asString());
                case "tenant" -> b.tenant(v.asString());
                case "groups" -> {
                    if (v.isList()) {
                        v.asList().forEach(g -> b.group(g.asString()));
                    } else if (v.isString()) {
                        for (String g : v.asString().split(",")) {
                            if (!g.isBlank()) {
                                b.group(g.trim());
                            }
                        }
                    }
                }
                default -> {
                    if (v.isString() || v.isNumber() || v.isBoolean()) {
                        b.property(e.getKey(), v.isString() ? v.asString() : String.valueOf(v.asObject()));
                    }
                }
            }
        }
        return b.build();
    }
}
