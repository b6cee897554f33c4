package io.spaghetti.example.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final Path IN_REPOSITORY = Path.of(
            "examples/example-service/src/test/node/node_modules/@microsoft/signalr/dist/browser/signalr.min.js");

    @GetMapping({"/collab", "/collab/"})
    ResponseEntity<Void> page() {
        return ResponseEntity.status(HttpStatus.FOUND).header("Location", "/collab/index.html").build();
    }

    @GetMapping(path = "/collab/signalr.min.js", produces = "text/javascript")
    byte[] script() throws IOException {
        String configured = System.getenv("EXAMPLE_SIGNALR_JS");
        Path script = configured != null ? Path.of(configured) : IN_REPOSITORY;
        if (!Files.isReadable(script)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "The SignalR browser client is not at " + script
                    + ": run npm ci in examples/example-service/src/test/node (scripts/demo.sh does) or set EXAMPLE_SIGNALR_JS");
        }
        return Files.readAllBytes(script);
    }
}
