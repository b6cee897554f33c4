package io.spaghetti.sdk.signalr;

/**
 * A SignalR hub written as a plain Java class: clients invoke its public methods by name, compared
 * case-insensitively as ASP.NET Core does ({@code connection.invoke("JoinDocument", id)} calls
 * {@code joinDocument(String)}). One instance serves every connection, so keep per-connection state in
 * {@link HubCaller#items()}.
 *
 * <p>Parameters are bound from the invocation's arguments with Jackson, in order, except:
 * a {@link HubCaller} parameter receives the calling connection, and a
 * {@link java.util.concurrent.Flow.Publisher} parameter receives a stream the client uploads.
 * The return value is sent as the completion: a value, {@code void}, a
 * {@link java.util.concurrent.CompletionStage} (sent when it completes), or a
 * {@link java.util.concurrent.Flow.Publisher} for a method clients call with {@code connection.stream(...)}
 * (each item a stream item; cancelled when the client disposes its subscription). A thrown
 * {@link HubException} sends its message to the client; any other exception sends a generic error and
 * is logged, so internals never reach a client.
 *
 * <p>Overloads are refused when the hub is mapped: SignalR has no way to tell them apart.
 */
public interface Hub {
    /** A client completed the handshake. An exception here closes its connection. */
    default void onConnected(HubCaller caller) throws Exception {
    }

    /** A connection ended; {@code error} is null for a clean close. Its groups are already left. */
    default void onDisconnected(HubCaller caller, Throwable error) throws Exception {
    }
}
