package io.spaghetti.example;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.spaghetti.sdk.core.web.StaticAsset;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /collab}: a page that edits a document with the npm SignalR client, served by the hub server
 * itself so the browser talks to one origin. The client's browser bundle (from the npm package that
 * scripts/demo.sh installs; {@code EXAMPLE_SIGNALR_JS} names another copy) is served under its content-hashed
 * name, immutable for a year, and the page, which links to that name, is revalidated by its ETag (a 304), so a
 * CDN in front can hold both.
 */
final class CollaborationPage extends Handler.Abstract.NonBlocking {
    private static final String SCRIPT = "/collab/signalr.min.js";
    private final StaticAsset page;
    private final StaticAsset script;
    private final Path scriptFile;

    CollaborationPage(Path scriptFile) throws IOException {
        StaticAsset html;
        try (InputStream in = CollaborationPage.class.getResourceAsStream("/collab/index.html")) {
            html = StaticAsset.of("/collab", "text/html; charset=utf-8", in.readAllBytes());
        }
        this.scriptFile = scriptFile;
        this.script = Files.isReadable(scriptFile)
                ? StaticAsset.of(SCRIPT, "text/javascript", Files.readAllBytes(scriptFile)) : null;
        this.page = script == null ? html : html.linking(script);
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
            return send(request, response, callback, page, StaticAsset.REVALIDATE);
        }
        if (path.equals(SCRIPT) || script != null && path.equals(script.hashedPath())) {
            if (script == null) {
                response.setStatus(404);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                response.write(true, ByteBuffer.wrap(("The SignalR browser client is not at "
                        + scriptFile.toAbsolutePath() + ": run npm ci in examples/example-service/src/test/node "
                        + "(scripts/demo.sh does) or set EXAMPLE_SIGNALR_JS\n").getBytes(StandardCharsets.UTF_8)),
                        callback);
                return true;
            }
            return send(request, response, callback, script,
                    path.equals(SCRIPT) ? StaticAsset.REVALIDATE : StaticAsset.IMMUTABLE);
        }
        return false;
    }

    private static boolean send(Request request, Response response, Callback callback, StaticAsset asset,
            String cacheControl) {
        response.getHeaders().put(HttpHeader.ETAG, asset.etag());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cacheControl);
        if (asset.notModifiedFor(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.contentType());
        response.write(true, ByteBuffer.wrap(asset.content()), callback);
        return true;
    }
}
