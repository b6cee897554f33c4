package io.spaghetti.sdk.search.internal;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import io.spaghetti.sdk.search.SearchAccessException;
import org.elasticsearch.client.ResponseException;

/** Turns the client's failures into errors that say what to fix. */
public final class SearchErrors {
    private SearchErrors() {
    }

    public static int status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException ee) {
                return ee.status();
            }
            if (t instanceof ResponseException re) {
                return re.getResponse().getStatusLine().getStatusCode();
            }
            if (t instanceof TransportException te && te.statusCode() > 0) {
                return te.statusCode();
            }
        }
        return -1;
    }

    public static String errorType(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException ee && ee.error() != null) {
                return ee.error().type();
            }
        }
        return "";
    }

    /** A clear exception for 401/403, else the original wrapped as it is. */
    public static RuntimeException explain(String action, String user, Exception e) {
        int status = status(e);
        if (status == 401) {
            return new SearchAccessException("Elasticsearch rejected the credentials of user '" + user + "' while trying to "
                    + action + " (401). Fix: check search.username and the secret search.password points at.", e);
        }
        if (status == 403) {
            return new SearchAccessException("User '" + user + "' lacks a privilege needed to " + action
                    + " (403). Fix: grant the role in sdk-search's security/roles.yml (spaghetti_writer), or run the "
                    + "bootstrap as an operator with scripts/elasticsearch-setup.sh.", e);
        }
        return e instanceof RuntimeException re ? re : new IllegalStateException("Elasticsearch: cannot " + action, e);
    }
}
