package io.spaghetti.sdk.core.config;

/**
 * One thing wrong with the configuration.
 *
 * @param key     the dotted key, e.g. {@code redis.addresses}
 * @param value   the offending value as written, {@code "<secret>"} for secrets, or null when absent
 * @param problem what is wrong
 * @param fix     what to do about it
 */
public record ConfigProblem(String key, String value, String problem, String fix) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(key).append(": ").append(problem);
        if (value != null) {
            sb.append(" (was '").append(value).append("')");
        }
        return sb.append(". Fix: ").append(fix).toString();
    }
}
