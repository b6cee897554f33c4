package io.spaghetti.sdk.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code Map<String, SomeRecord>} component: each entry is bound over the sibling
 * component named here, so an entry only states what differs from the shared defaults
 * (e.g. {@code resilience.dependencies.redis} over {@code resilience.defaults}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface DefaultsFrom {
    String value();
}
