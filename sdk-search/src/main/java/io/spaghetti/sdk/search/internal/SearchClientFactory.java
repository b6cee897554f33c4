package io.spaghetti.sdk.search.internal;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportUtils;
import co.elastic.clients.transport.instrumentation.Instrumentation;
import co.elastic.clients.transport.instrumentation.NoopInstrumentation;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransportBase;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.json.SdkJson;
import io.spaghetti.sdk.search.SearchConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;

/** Builds the elasticsearch-java client from {@link SearchConfig}; the only place that knows the transport. */
public final class SearchClientFactory {
    private SearchClientFactory() {
    }

    public static ElasticsearchClient create(SearchConfig c) {
        return create(c, NoopInstrumentation.INSTANCE);
    }

    /** With the client's request spans reported through {@code instrumentation}. */
    public static ElasticsearchClient create(SearchConfig c, Instrumentation instrumentation) {
        HttpHost[] hosts = c.hosts().stream().map(HttpHost::create).toArray(HttpHost[]::new);
        SSLContext ssl;
        try {
            ssl = c.caFile() == null ? null : TransportUtils.sslContextFromHttpCaCrt(c.caFile().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("search.caFile " + c.caFile() + " is not a readable PEM certificate", e);
        }
        Header auth = null;
        if (c.username() != null) {
            String pair = c.username() + ":" + c.password().reveal();
            auth = new BasicHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else if (c.apiKey() != null) {
            auth = new BasicHeader("Authorization", "ApiKey " + c.apiKey().reveal());
        }
        Header[] headers = auth == null ? new Header[0] : new Header[] {auth};
        RestClient rest = RestClient.builder(hosts)
                .setDefaultHeaders(headers)
                .setRequestConfigCallback(r -> r.setConnectTimeout((int) c.connectTimeout().toMillis())
                        .setSocketTimeout((int) c.socketTimeout().toMillis()))
                .setHttpClientConfigCallback(h -> ssl == null ? h : h.setSSLContext(ssl))
                .build();
        ObjectMapper mapper = SdkJson.mapper();
        return new ElasticsearchClient(new Transport(rest, new JacksonJsonpMapper(mapper), instrumentation));
    }

    /** What {@code RestClientTransport} is, over {@link RetrySafeHttpClient}. */
    public static final class Transport extends ElasticsearchTransportBase {
        private final RestClient restClient;

        Transport(RestClient restClient, JsonpMapper mapper, Instrumentation instrumentation) {
            super(new RetrySafeHttpClient(restClient), null, mapper, instrumentation);
            this.restClient = restClient;
        }

        /** The low-level client, for requests the typed client cannot decode. */
        public RestClient restClient() {
            return restClient;
        }
    }
}
