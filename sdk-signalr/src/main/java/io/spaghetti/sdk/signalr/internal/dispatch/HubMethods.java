package io.spaghetti.sdk.signalr.internal.dispatch;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.spaghetti.sdk.signalr.Hub;
import io.spaghetti.sdk.signalr.HubCaller;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** The methods a hub class offers its clients, found once by reflection when the hub is mapped. */
public final class HubMethods {
    /** How a parameter gets its value. */
    public enum Source { CALLER, ARGUMENT, CLIENT_STREAM }

    /** {@code type}: the argument's type, or the element type of a client stream. */
    public record Parameter(Source source, JavaType type) {
    }

    public enum Returns { VOID, VALUE, FUTURE, STREAM }

    public record HubMethod(String name, Method method, List<Parameter> parameters, Returns returns) {
        /** Arguments the client must send (the caller and streams are not arguments). */
        public int argumentCount() {
            return (int) parameters.stream().filter(p -> p.source() == Source.ARGUMENT).count();
        }

        public int streamCount() {
            return (int) parameters.stream().filter(p -> p.source() == Source.CLIENT_STREAM).count();
        }
    }

    private final Map<String, HubMethod> byName;

    private HubMethods(Map<String, HubMethod> byName) {
        this.byName = byName;
    }

    /** Reads {@code hub}'s public methods; refuses overloads, which SignalR cannot tell apart. */
    public static HubMethods of(Hub hub) {
        TypeFactory types = TypeFactory.defaultInstance();
        Map<String, HubMethod> found = new LinkedHashMap<>();
        for (Method m : hub.getClass().getMethods()) {
            Class<?> owner = m.getDeclaringClass();
            if (owner == Object.class || owner == Hub.class || Modifier.isStatic(m.getModifiers()) || m.isSynthetic()
                    || m.isBridge()) {
                continue;
            }
            String key = m.getName().toLowerCase(Locale.ROOT);
            if (found.containsKey(key)) {
                throw new IllegalArgumentException("Hub " + hub.getClass().getName() + " has two public methods named '"
                        + m.getName() + "' (ignoring case): SignalR invokes by name only, so give each a distinct name");
            }
            m.setAccessible(true);
            List<Parameter> params = new ArrayList<>();
            Type[] generic = m.getGenericParameterTypes();
            for (int i = 0; i < generic.length; i++) {
                Class<?> raw = m.getParameterTypes()[i];
                if (raw == HubCaller.class) {
                    params.add(new Parameter(Source.CALLER, null));
                } else if (raw == Flow.Publisher.class) {
                    params.add(new Parameter(Source.CLIENT_STREAM, elementType(types, generic[i], m)));
                } else {
                    params.add(new Parameter(Source.ARGUMENT, types.constructType(generic[i])));
                }
            }
            Class<?> r = m.getReturnType();
            Returns returns = r == void.class || r == Void.class ? Returns.VOID
                    : Flow.Publisher.class.isAssignableFrom(r) ? Returns.STREAM
                    : CompletionStage.class.isAssignableFrom(r) ? Returns.FUTURE : Returns.VALUE;
            found.put(key, new HubMethod(m.getName(), m, List.copyOf(params), returns));
        }
        return new HubMethods(Collections.unmodifiableMap(found));
    }

    private static JavaType elementType(TypeFactory types, Type declared, Method m) {
        JavaType[] p = types.constructType(declared).findTypeParameters(Flow.Publisher.class);
        if (p.length != 1 || p[0].isJavaLangObject() && !(declared instanceof java.lang.reflect.ParameterizedType)) {
            throw new IllegalArgumentException("Hub method " + m.getName() + " takes a raw Flow.Publisher: declare "
                    + "its element type, e.g. Flow.Publisher<String>, so items can be bound");
        }
        return p[0];
    }

    /** The method clients call {@code name}, compared case-insensitively; null when there is none. */
    public HubMethod find(String name) {
        return name == null ? null : byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** The methods' names, as declared: the bounded values of the {@code method} metric tag. */
    public List<String> names() {
        return byName.values().stream().map(HubMethod::name).toList();
    }
}
