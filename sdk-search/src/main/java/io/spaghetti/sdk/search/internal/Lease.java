package io.spaghetti.sdk.search.internal;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.GetResponse;
import io.spaghetti.sdk.search.internal.SearchErrors;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A lease kept as a document in the {@code spaghetti-leases} index, so that one instance at a time
 * runs a cluster job. Taken with create-if-absent; an expired lease is taken over with optimistic
 * concurrency (if_seq_no / if_primary_term), so two instances never both win.
 */
public final class Lease {
    static final String INDEX = "spaghetti-leases";

    private final ElasticsearchClient client;
    private final String name;
    private final String holder = UUID.randomUUID().toString();

    public Lease(ElasticsearchClient client, String name) {
        this.client = client;
        this.name = name;
    }

    /** True when this instance holds the lease for {@code time} from now. */
    @SuppressWarnings("rawtypes")
    public boolean tryAcquire(Duration time) throws IOException {
        Map<String, Object> doc = Map.of("holder", holder, "expiresAt", System.currentTimeMillis() + time.toMillis());
        try {
            client.create(c -> c.index(INDEX).id(name).document(doc).refresh(co.elastic.clients.elasticsearch._types.Refresh.True));
            return true;
        } catch (IOException | RuntimeException e) {
            // A conflict arrives as an ElasticsearchException or, for _create, as the REST client's ResponseException.
            if (SearchErrors.status(e) != 409) {
                throw e;
            }
        }
        GetResponse<Map> current = client.get(g -> g.index(INDEX).id(name), Map.class);
        if (!current.found()) {
            return false;
        }
        long expiresAt = ((Number) current.source().get("expiresAt")).longValue();
        if (expiresAt > System.currentTimeMillis() && !holder.equals(current.source().get("holder"))) {
            return false;
        }
        try {
            client.index(i -> i.index(INDEX).id(name).document(doc).ifSeqNo(current.seqNo())
                    .ifPrimaryTerm(current.primaryTerm()).refresh(co.elastic.clients.elasticsearch._types.Refresh.True));
            return true;
        } catch (IOException | RuntimeException e) {
            if (SearchErrors.status(e) == 409) {
                return false;
            }
            throw e;
        }
    }

    /** Gives the lease up early, if this instance still holds it. */
    @SuppressWarnings("rawtypes")
    public void release() throws IOException {
        GetResponse<Map> current = client.get(g -> g.index(INDEX).id(name), Map.class);
        if (current.found() && holder.equals(current.source().get("holder"))) {
            try {
                client.delete(d -> d.index(INDEX).id(name).ifSeqNo(current.seqNo()).ifPrimaryTerm(current.primaryTerm()));
            } catch (IOException | RuntimeException e) {
                int status = SearchErrors.status(e);
                if (status != 409 && status != 404) {
                    throw e;
                }
            }
        }
    }
}
