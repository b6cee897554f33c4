package io.spaghetti.sdk.search.internal;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spaghetti.sdk.core.json.SdkJson;
import io.spaghetti.sdk.search.internal.SearchErrors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who runs the "30-day-rollover" lifecycle: the cluster's ILM where it has one (the bundled policy
 * {@code lifecycle/30-day-rollover.json}, attached through the index template), else the SDK's
 * {@link RolloverManager}.
 */
public final class IndexLifecycle {
    public static final String POLICY = "30-day-rollover";
    private static final Logger log = LoggerFactory.getLogger(IndexLifecycle.class);
    private static final ObjectMapper JSON = SdkJson.mapper();

    public enum Mode { ILM, SDK_ROLLOVER }

    private IndexLifecycle() {
    }

    /** ILM when {@code _ilm/status} answers; any client error (the endpoint is absent) means the SDK runs it. */
    public static Mode detect(ElasticsearchClient client) {
        try {
            client.ilm().getStatus();
            return Mode.ILM;
        } catch (IOException | RuntimeException e) {
            int status = SearchErrors.status(e);
            if (status == 400 || status == 404 || status == 405 || status == 410) {
                log.info("The cluster has no ILM ({}): the SDK's rollover manager runs the {} lifecycle", status, POLICY);
                return Mode.SDK_ROLLOVER;
            }
            throw SearchErrors.explain("detect ILM", "(search user)", e);
        }
    }

    /** Installs the bundled policy on an ILM cluster. */
    public static void installPolicy(ElasticsearchClient client) {
        byte[] body = SearchBootstrap.bundled("lifecycle/30-day-rollover.json");
        try {
            ObjectNode wrapped = JSON.createObjectNode();
            wrapped.set("policy", JSON.readTree(body));
            byte[] request = JSON.writeValueAsBytes(wrapped);
            client.ilm().putLifecycle(p -> p.name(POLICY).withJson(new ByteArrayInputStream(request)));
        } catch (IOException | RuntimeException e) {
            throw SearchErrors.explain("install the ILM policy " + POLICY, "(search user)", e);
        }
    }

    /**
     * The index template for one alias on an ILM cluster: the policy and that alias as the rollover alias. ILM
     * reads {@code rollover_alias} from each new index's settings, which come from the template, so every alias
     * needs a template of its own: a dedicated alias's matches only {@code <alias>-*} and outranks the shared one
     * (whose {@code documents-*} pattern also matches {@code documents-bigcorp-000001}).
     */
    public static byte[] withPolicy(byte[] indexTemplate, String alias, boolean dedicated) {
        try {
            ObjectNode t = (ObjectNode) JSON.readTree(indexTemplate);
            ObjectNode settings = t.with("template").with("settings");
            settings.put("index.lifecycle.name", POLICY);
            settings.put("index.lifecycle.rollover_alias", alias);
            if (dedicated) {
                t.putArray("index_patterns").add(alias + "-*");
                t.put("priority", t.path("priority").asInt(0) + 1);
            }
            return JSON.writeValueAsBytes(t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lifecycle policy a template body attaches, or null. */
    static String policyOf(byte[] indexTemplate) {
        try {
            JsonNode name = JSON.readTree(indexTemplate).path("template").path("settings").get("index.lifecycle.name");
            return name == null ? null : name.asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
