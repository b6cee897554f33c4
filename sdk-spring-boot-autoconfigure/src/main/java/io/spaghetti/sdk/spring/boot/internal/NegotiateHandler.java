package io.spaghetti.sdk.spring.boot.internal;

import io.spaghetti.sdk.signalr.HubHttpResponse;
import io.spaghetti.sdk.signalr.SignalRHubs;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.HttpRequestHandler;

/** {@code POST {hub path}/negotiate}: the connection's id, token and transport (WebSockets) for the SignalR client. */
public final class NegotiateHandler implements HttpRequestHandler {
    private final SignalRHubs hubs;
    private final String path;

    public NegotiateHandler(SignalRHubs hubs, String path) {
        this.hubs = hubs;
        this.path = path;
    }

    @Override
    public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HubHttpResponse answer;
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            answer = new HubHttpResponse(405, "text/plain; charset=utf-8",
                    "Negotiate with POST " + path + "/negotiate, as the SignalR client does");
        } else {
            Map<String, String> query = new LinkedHashMap<>();
            request.getParameterMap().forEach((k, v) -> query.put(k, v.length == 0 ? "" : v[0]));
            answer = hubs.negotiate(path, query, request.getHeader("Authorization"));
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(answer.status());
        response.setContentType(answer.contentType());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
