package io.spaghetti.sdk.backplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A decoded SignalR invocation: the client method to call and its arguments.
 *
 * @param invocationId set when the sender awaits a result: answer with {@link LocalConnection#complete}
 */
public record HubInvocation(String target, List<JsonNode> arguments, String invocationId, Map<String, String> headers) {
    public HubInvocation {
        arguments = List.copyOf(arguments);
        headers = Map.copyOf(headers);
    }
}
