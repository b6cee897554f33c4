package io.spaghetti.example.boot;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /collab}: the page that edits a document with the npm SignalR client (static/collab/index.html, shared
 * with the plain example), and the client's browser bundle from the npm package scripts/demo.sh installs
 * ({@code EXAMPLE_SIGNALR_JS} names another copy).
 */
@RestController
class CollaborationPage {
    private static final Path BUNDLE = Path.of("src/test/node/node_modules/@microsoft/signalr/dist/browser/signalr.min.js");
    /** From the repository root (scripts/demo.sh) or from this module's directory (its tests). */
    private static final List<Path> IN_REPOSITORY = List.of(Path.of("examples/example-service").resolve(BUNDLE),
            Path.of("../example-service").resolve(BUNDLE));

    /** To the page, with the query ({@code ?document=...}) kept. */
    @GetMapping({"/collab", "/collab/"})
    ResponseEntity<Void> page(HttpServletRequest request) {
        String query = request.getQueryString();
        return ResponseEntity.status(HttpStatus.FOUND)
                .header("Location", "/collab/index.html" + (query == null ? "" : "?" + query)).build();
    }

    @GetMapping(path = "/collab/signalr.min.js", produces = "text/javascript")
    byte[] script() throws IOException {
        String configured = System.getenv("EXAMPLE_SIGNALR_JS");
        Path script = configured != null ? Path.of(configured)
                : IN_REPOSITORY.stream().filter(Files::isReadable).findFirst().orElse(IN_REPOSITORY.get(0));
        if (!Files.isReadable(script)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "The SignalR browser client is not at " + script
                    + ": run npm ci in examples/example-service/src/test/node (scripts/demo.sh does) or set EXAMPLE_SIGNALR_JS");
        }
        return Files.readAllBytes(script);
    }
}
