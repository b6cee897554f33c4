package io.spaghetti.example;

import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.core.testing.StackEnv;
import java.util.Map;
import java.util.Properties;

/** The example's SDK configuration for the local stack, as scripts/demo.sh sets it through the environment. */
final class StackConfig {
    private StackConfig() {
    }

    static SdkConfig load() {
        return SdkConfig.loader().environment(environment()).systemProperties(new Properties()).load();
    }

    /** The environment variables that configure the example for the stack (what scripts/demo.sh exports). */
    static Map<String, String> environment() {
        return Map.of(
                "SPAGHETTI_REDIS_ADDRESSES", StackEnv.require("STACK_REDIS_ADDRESS"),
                "SPAGHETTI_SIGNALR_PORT", "0",
                "SPAGHETTI_REDIS_PASSWORD", "env:STACK_REDIS_PASSWORD",
                "STACK_REDIS_PASSWORD", StackEnv.require("STACK_REDIS_PASSWORD"),
                "SPAGHETTI_SEARCH_HOSTS", StackEnv.require("STACK_ES_HOSTS"),
                "SPAGHETTI_SEARCH_CA_FILE", StackEnv.require("STACK_ES_CA_FILE"),
                "SPAGHETTI_SEARCH_USERNAME", StackEnv.require("STACK_ES_APP_USER"),
                "SPAGHETTI_SEARCH_PASSWORD", "env:STACK_ES_APP_PASSWORD",
                "STACK_ES_APP_PASSWORD", StackEnv.require("STACK_ES_APP_PASSWORD"));
    }
}
