package io.spaghetti.example.boot;

import io.spaghetti.sdk.core.web.StaticAsset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /collab}: the page that edits a document with the npm SignalR client (static/collab/index.html, shared
 * with the plain example), and the client's browser bundle from the npm package scripts/demo.sh installs
 * ({@code EXAMPLE_SIGNALR_JS} names another copy). The bundle is served under its content-hashed name,
 * immutable for a year; the page links to that name and is revalidated by its ETag (a 304), so a CDN in front
 * can hold both.
 */
@RestController
class CollaborationPage {
    private static final String SCRIPT = "/collab/signalr.min.js";
    private static final Path BUNDLE = Path.of("src/test/node/node_modules/@microsoft/signalr/dist/browser/signalr.min.js");
    /** From the repository root (scripts/demo.sh) or from this module's directory (its tests). */
    private static final List<Path> IN_REPOSITORY = List.of(Path.of("examples/example-service").resolve(BUNDLE),
            Path.of("../example-service").resolve(BUNDLE));
    private volatile StaticAsset script;
    private volatile StaticAsset page;

    @GetMapping({"/collab", "/collab/"})
    ResponseEntity<byte[]> page(@RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch)
            throws IOException {
        return send(page(), StaticAsset.REVALIDATE, ifNoneMatch);
    }

    @GetMapping("/collab/{name:signalr\\.min(?:\\.[0-9a-f]{12})?\\.js}")
    ResponseEntity<byte[]> script(@PathVariable String name,
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) throws IOException {
        StaticAsset s = script();
        String path = "/collab/" + name;
        if (!path.equals(SCRIPT) && !path.equals(s.hashedPath())) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such version of the SignalR client: " + name);
        }
        return send(s, path.equals(SCRIPT) ? StaticAsset.REVALIDATE : StaticAsset.IMMUTABLE, ifNoneMatch);
    }

    private static ResponseEntity<byte[]> send(StaticAsset asset, String cacheControl, String ifNoneMatch) {
        boolean notModified = asset.notModifiedFor(ifNoneMatch);
        ResponseEntity.BodyBuilder b = ResponseEntity.status(notModified ? HttpStatus.NOT_MODIFIED : HttpStatus.OK)
                .eTag(asset.etag()).header(HttpHeaders.CACHE_CONTROL, cacheControl);
        return notModified ? b.build()
                : b.contentType(MediaType.parseMediaType(asset.contentType())).body(asset.content());
    }

    private StaticAsset page() throws IOException {
        StaticAsset p = page;
        if (p == null) {
            try (InputStream in = CollaborationPage.class.getResourceAsStream("/static/collab/index.html")) {
                p = StaticAsset.of("/collab", "text/html;charset=utf-8", in.readAllBytes()).linking(script());
            }
            page = p;
        }
        return p;
    }

    private StaticAsset script() throws IOException {
        StaticAsset s = script;
        if (s == null) {
            String configured = System.getenv("EXAMPLE_SIGNALR_JS");
            Path file = configured != null ? Path.of(configured)
                    : IN_REPOSITORY.stream().filter(Files::isReadable).findFirst().orElse(IN_REPOSITORY.get(0));
            if (!Files.isReadable(file)) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "The SignalR browser client is not at " + file
                        + ": run npm ci in examples/example-service/src/test/node (scripts/demo.sh does) or set EXAMPLE_SIGNALR_JS");
            }
            s = StaticAsset.of(SCRIPT, "text/javascript", Files.readAllBytes(file));
            script = s;
        }
        return s;
    }
}
