package io.spaghetti.example.boot;

import io.spaghetti.sdk.backplane.HubContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /documents/{id}} through the tiered cache, {@code PUT} renames (and updates every instance's cache),
 * {@code DELETE /documents/{id}/cache} evicts it everywhere; {@code POST /documents/{id}/notify} reaches the
 * document's collaborators on every server, {@code GET /documents/{id}/presence} lists them.
 */
@RestController
@RequestMapping("/documents/{id}")
class DocumentController {
    private final DocumentCatalog catalog;
    /** The collaboration hub's clients on every server: the starter's bean for the {@code documentHub} mapping. */
    private final HubContext documentHub;

    DocumentController(DocumentCatalog catalog, HubContext documentHubContext) {
        this.catalog = catalog;
        this.documentHub = documentHubContext;
    }

    record Rename(@NotBlank @Size(max = 300) String title) {
    }

    /** The change a notification sends: the shape of the hub's changes, so the page shows it like an edit. */
    record Change(String text, String by) {
    }

    @GetMapping
    Document read(@PathVariable @Pattern(regexp = Ids.ID, message = Ids.ID_RULE) String id) {
        return catalog.find(id);
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Document rename(@PathVariable @Pattern(regexp = Ids.ID, message = Ids.ID_RULE) String id,
            @Valid @RequestBody Rename rename) {
        return catalog.rename(id, rename.title());
    }

    @DeleteMapping("/cache")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void evict(@PathVariable @Pattern(regexp = Ids.ID, message = Ids.ID_RULE) String id) {
        catalog.evict(id);
    }

    @PostMapping(path = "/notify", consumes = MediaType.TEXT_PLAIN_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, String> notify(@PathVariable @Pattern(regexp = Ids.ID, message = Ids.ID_RULE) String id,
            @RequestParam(defaultValue = "anonymous") @Pattern(regexp = Ids.ID, message = Ids.ID_RULE) String user,
            @RequestBody @NotBlank @Size(max = 2000) String message) {
        ModuleUnavailableException.require("backplane", () -> documentHub.sendGroup(DocumentHub.group(id),
                "DocumentChanged", id, new Change(message.strip(), user))).join();
        return Map.of("group", DocumentHub.group(id));
    }

    @GetMapping("/presence")
    List<Map<String, String>> presence(@PathVariable @Pattern(regexp = Ids.ID, message = Ids.ID_RULE) String id) {
        return ModuleUnavailableException.require("backplane", () -> documentHub.presence(DocumentHub.group(id))).stream().map(p -> Map.of(
                "userId", p.userId() == null ? "anonymous" : p.userId(), "connectionId", p.connectionId(),
                "server", p.serverName(), "expiresAt", p.expiresAt().toString())).toList();
    }
}
