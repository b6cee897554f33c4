package io.spaghetti.sdk.spring.boot.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

/**
 * A bean for a module's API interface that asks the module on every call, so a service can inject it even when
 * the module is optional and not started yet (DEGRADED at start-up, connected later by the SDK's background
 * retry). Until then a call fails with the module's own message.
 */
public final class ModuleApi {
    private ModuleApi() {
    }

    public static <T> T deferred(Class<T> api, Supplier<? extends T> current) {
        Object proxy = Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> api.getSimpleName() + " of the Spaghetti SDK";
                };
            }
            try {
                return method.invoke(current.get(), args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return api.cast(proxy);
    }
}
