package io.spaghetti.sdk.search.internal;

import io.spaghetti.sdk.search.SearchConfig;
import io.spaghetti.sdk.search.BootstrapReport;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.spaghetti.sdk.search.internal.SearchErrors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the bundled component templates, index template and initial write index; used at
 * start-up and by {@code scripts/elasticsearch-setup.sh}, so ops and apps share one definition.
 * Idempotent and versioned: installs what is missing, upgrades what is older, never downgrades,
 * makes no write when everything is current, and treats "already exists" from a concurrent
 * instance as success.
 */
public final class SearchBootstrap {
    private static final Logger log = LoggerFactory.getLogger(SearchBootstrap.class);

    /** Component templates, in install order, by name; then the index template. */
    public static final Map<String, String> COMPONENT_TEMPLATES = Map.of(
            "spaghetti-documents-settings", "component-templates/documents-settings.json",
            "spaghetti-documents-mappings", "component-templates/documents-mappings.json");
    public static final String INDEX_TEMPLATE = "spaghetti-documents";
    public static final String INDEX_TEMPLATE_RESOURCE = "index-templates/document-template.json";

    private final ElasticsearchClient client;
    private final String alias;
    private final String user;
    private final Function<String, byte[]> resources;
    private final String indexTemplateName;

    public SearchBootstrap(ElasticsearchClient client, String alias, String user) {
        this(client, alias, user, SearchBootstrap::bundled);
    }

    /** With other template sources (tests, or a service's own versions of the templates). */
    public SearchBootstrap(ElasticsearchClient client, String alias, String user, Function<String, byte[]> resources) {
        this(client, alias, user, resources, INDEX_TEMPLATE);
    }

    private SearchBootstrap(ElasticsearchClient client, String alias, String user, Function<String, byte[]> resources,
            String indexTemplateName) {
        this.client = client;
        this.alias = alias;
        this.user = user;
        this.resources = resources;
        this.indexTemplateName = indexTemplateName;
    }

    /**
     * What services run at start-up and {@code scripts/elasticsearch-setup.sh} runs for ops, so both leave the
     * cluster in the same state: on an ILM cluster the policy, and an index template per alias that attaches it
     * (see {@link IndexLifecycle#withPolicy}); then every alias's templates and write index. Returns the shared
     * alias's report.
     */
    public static BootstrapReport installAll(ElasticsearchClient client, SearchConfig config, String user,
            IndexLifecycle.Mode mode) {
        if (mode == IndexLifecycle.Mode.ILM) {
            IndexLifecycle.installPolicy(client);
        }
        BootstrapReport shared = null;
        for (String alias : config.aliases()) {
            boolean dedicated = !alias.equals(config.alias());
            Function<String, byte[]> templates = mode != IndexLifecycle.Mode.ILM ? SearchBootstrap::bundled
                    : r -> INDEX_TEMPLATE_RESOURCE.equals(r)
                            ? IndexLifecycle.withPolicy(bundled(r), alias, dedicated) : bundled(r);
            String templateName = mode == IndexLifecycle.Mode.ILM && dedicated ? INDEX_TEMPLATE + "-" + alias
                    : INDEX_TEMPLATE;
            BootstrapReport report = new SearchBootstrap(client, alias, user, templates, templateName).run();
            if (!dedicated) {
                shared = report;
            }
        }
        return shared;
    }

    public BootstrapReport run() {
        List<String> decisions = new ArrayList<>();
        int writes = 0;
        try {
            for (String name : List.of("spaghetti-documents-settings", "spaghetti-documents-mappings")) {
                writes += componentTemplate(name, COMPONENT_TEMPLATES.get(name), decisions);
            }
            writes += indexTemplate(decisions);
            writes += initialIndex(decisions);
        } catch (IOException | RuntimeException e) {
            throw SearchErrors.explain("bootstrap the index templates", user, e);
        }
        decisions.forEach(d -> log.info("Search bootstrap: {}", d));
        return new BootstrapReport(decisions, writes);
    }

    private int componentTemplate(String name, String resource, List<String> decisions) throws IOException {
        byte[] body = resources.apply(resource);
        return ensure(name, body, decisions, () -> {
            var found = client.cluster().getComponentTemplate(b -> b.name(name)).componentTemplates();
            return found.isEmpty() ? null : found.get(0).componentTemplate().version();
        }, () -> client.cluster().putComponentTemplate(b -> b.name(name).withJson(new ByteArrayInputStream(body))));
    }

    private int indexTemplate(List<String> decisions) throws IOException {
        byte[] body = resources.apply(INDEX_TEMPLATE_RESOURCE);
        String policy = IndexLifecycle.policyOf(body);
        return ensure(indexTemplateName, body, decisions, () -> {
            var found = client.indices().getIndexTemplate(b -> b.name(indexTemplateName)).indexTemplates();
            if (found.isEmpty()) {
                return null;
            }
            var installed = found.get(0).indexTemplate();
            if (policy != null && !policy.equals(installedPolicy(installed))) {
                // Same version without the policy (installed before ILM existed, or by an older setup script):
                // a version check alone would call it current and never attach the policy.
                decisions.add(indexTemplateName + ": does not attach the lifecycle policy " + policy + ", rewriting");
                return null;
            }
            return installed.version();
        }, () -> client.indices().putIndexTemplate(b -> b.name(indexTemplateName)
                .withJson(new ByteArrayInputStream(body))));
    }

    private static String installedPolicy(co.elastic.clients.elasticsearch.indices.IndexTemplate installed) {
        var settings = installed.template() == null ? null : installed.template().settings();
        if (settings == null) {
            return null;
        }
        if (settings.lifecycle() != null) {
            return settings.lifecycle().name();
        }
        return settings.index() != null && settings.index().lifecycle() != null
                ? settings.index().lifecycle().name() : null;
    }

    private interface Remote<T> {
        T call() throws IOException;
    }

    /** Writes a versioned template when it is missing or older; returns the number of writes (0 or 1). */
    private static int ensure(String name, byte[] body, List<String> decisions, Remote<Long> installedVersion,
            Remote<?> put) throws IOException {
        Long installed;
        try {
            installed = installedVersion.call();
        } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
            if (e.status() != 404) {
                throw e;
            }
            installed = null;
        }
        if (!TemplateVersion.shouldWrite(name, installed, TemplateVersion.of(body), decisions)) {
            return 0;
        }
        put.call();
        return 1;
    }

    private int initialIndex(List<String> decisions) throws IOException {
        if (client.indices().existsAlias(b -> b.name(alias)).value()) {
            decisions.add("alias " + alias + " exists: nothing to do");
            return 0;
        }
        String index = alias + "-000001";
        try {
            client.indices().create(b -> b.index(index).aliases(alias, a -> a.isWriteIndex(true)));
            decisions.add("created " + index + " as the write index of " + alias);
        } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
            if (!"resource_already_exists_exception".equals(SearchErrors.errorType(e))) {
                throw e;
            }
            decisions.add(index + " was created by another instance at the same time: fine");
        }
        return 1;
    }

    public static byte[] bundled(String resource) {
        try (InputStream in = SearchBootstrap.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
