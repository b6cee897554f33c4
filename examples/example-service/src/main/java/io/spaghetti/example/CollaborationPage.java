package io.spaghetti.example;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /collab}: a page that edits a document with the npm SignalR client, served by the hub server
 * itself so the browser talks to one origin. {@code /collab/signalr.min.js} is the client's browser bundle
 * from the npm package that scripts/demo.sh installs ({@code EXAMPLE_SIGNALR_JS} names another copy).
 */
final class CollaborationPage extends Handler.Abstract.NonBlocking {
    private final byte[] page;
    private final Path script;

    CollaborationPage(Path script) throws IOException {
        try (InputStream in = CollaborationPage.class.getResourceAsStream("/collab/index.html")) {
            this.page = in.readAllBytes();
        }
        this.script = script;
    }

    /** {@code EXAMPLE_SIGNALR_JS}, else the npm package under the repository root or the module directory. */
    static Path defaultScript() {
        String configured = System.getenv("EXAMPLE_SIGNALR_JS");
        if (configured != null) {
            return Path.of(configured);
        }
        Path inModule = Path.of("src/test/node/node_modules/@microsoft/signalr/dist/browser/signalr.min.js");
        return Files.exists(inModule) ? inModule : Path.of("examples/example-service").resolve(inModule);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = Request.getPathInContext(request);
        if (path.equals("/collab") || path.equals("/collab/")) {
            return send(response, callback, 200, "text/html; charset=utf-8", page);
        }
        if (path.equals("/collab/signalr.min.js")) {
            if (!Files.isReadable(script)) {
                return send(response, callback, 404, "text/plain; charset=utf-8", ("The SignalR browser client is not "
                        + "at " + script.toAbsolutePath() + ": run npm ci in examples/example-service/src/test/node "
                        + "(scripts/demo.sh does) or set EXAMPLE_SIGNALR_JS\n").getBytes());
            }
            return send(response, callback, 200, "text/javascript", Files.readAllBytes(script));
        }
        return false;
    }

    private static boolean send(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
