package io.spaghetti.sdk.core.ai;

import io.spaghetti.sdk.core.config.ConfigProblems;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.Validated;
import java.time.Duration;
import java.util.Map;

/** Section {@code ai}: the AI response cache. */
public record AiConfig(Cache cache) implements Validated {
    public static final ConfigSection<AiConfig> SECTION = ConfigSection.of("ai", AiConfig.class);

    /**
     * @param ttl            how long an answer is reused
     * @param ttlByModel     a model's own TTL (models not listed take {@code ttl})
     * @param maxAnswerBytes encoded answers larger than this stay out of Redis (L1 only)
     * @param clusterWide    identical concurrent prompts on every instance make one provider call (a Redis lease)
     * @param encrypt        answers are kept encrypted (sdk-crypto), bound to the request's tenant: they hold user
     *                       data, and Redis is not where it may rest in clear
     */
    public record Cache(Duration ttl, Map<String, Duration> ttlByModel, int maxAnswerBytes, boolean clusterWide,
            boolean encrypt) {
        public Cache {
            ttlByModel = ttlByModel == null ? Map.of() : Map.copyOf(ttlByModel);
        }

        public Duration ttlFor(String model) {
            return ttlByModel.getOrDefault(model, ttl);
        }
    }

    @Override
    public void validate(ConfigProblems problems, String path) {
        problems.require(cache.ttl() != null && !cache.ttl().isNegative() && !cache.ttl().isZero(), path + ".cache.ttl",
                cache.ttl(), "must be positive", "use e.g. 1h");
        cache.ttlByModel().forEach((model, ttl) -> problems.require(ttl != null && !ttl.isNegative() && !ttl.isZero(),
                path + ".cache.ttlByModel." + model, ttl, "must be positive", "use e.g. 24h"));
        problems.require(cache.maxAnswerBytes() >= 1, path + ".cache.maxAnswerBytes", cache.maxAnswerBytes(),
                "must be at least 1", "use e.g. 65536");
    }
}
