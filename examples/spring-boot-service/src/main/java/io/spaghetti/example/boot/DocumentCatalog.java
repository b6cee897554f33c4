package io.spaghetti.example.boot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Documents through Spring's cache annotations on the SDK's tiered cache ({@code spaghetti.cache.caches.documents}):
 * a read loads once per key across the instances, an update or eviction on one instance reaches every instance's L1.
 */
@Service
public class DocumentCatalog {
    static final String CACHE = "documents";
    /** Stands in for the service's database. */
    private final Map<String, Document> table = new ConcurrentHashMap<>();
    private final Counter loads;

    public DocumentCatalog(MeterRegistry meters) {
        this.loads = Counter.builder("example.documents.loads").description("Documents read from the database")
                .register(meters);
    }

    @Cacheable(cacheNames = CACHE, sync = true)
    public Document find(String id) {
        loads.increment();
        return table.getOrDefault(id, new Document(id, "Document " + id));
    }

    @CachePut(cacheNames = CACHE, key = "#id")
    public Document rename(String id, String title) {
        Document renamed = new Document(id, title);
        table.put(id, renamed);
        return renamed;
    }

    @CacheEvict(cacheNames = CACHE)
    public void evict(String id) {
    }
}
