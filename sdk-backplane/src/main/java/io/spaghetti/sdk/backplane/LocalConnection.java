package io.spaghetti.sdk.backplane;

import java.util.Set;

/**
 * A client connection held by this service and registered with a hub: it receives what any
 * server sends to it, its user or its groups. Close it when the client disconnects.
 */
public interface LocalConnection extends AutoCloseable {
    String id();

    /** Null for an anonymous connection. */
    String userId();

    String protocol();

    /** The groups it belongs to now. */
    Set<String> groups();

    /** Answers an invocation that awaits a client result ({@link HubInvocation#invocationId()} set). */
    void complete(String invocationId, Object result);

    /** Answers an invocation that awaits a client result with an error. */
    void fail(String invocationId, String error);

    /** Unregisters: leaves its groups and presence, and fails the results it still owed. */
    @Override
    void close();
}
