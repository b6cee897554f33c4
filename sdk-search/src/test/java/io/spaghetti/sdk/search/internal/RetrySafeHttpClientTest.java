package io.spaghetti.sdk.search.internal;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.transport.http.TransportHttpClient;
import co.elastic.clients.transport.rest_client.RestClientOptions;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.http.HttpHost;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.nio.ContentEncoder;
import org.apache.http.nio.client.methods.HttpAsyncMethods;
import org.apache.http.nio.protocol.HttpAsyncRequestProducer;
import org.elasticsearch.client.RequestOptions;
import org.junit.jupiter.api.Test;

/**
 * The low-level client makes one request producer per attempt from the same entity, and a failed attempt's producer
 * can still be driven while the retry's runs (a SIGKILLed node mid-bulk, NodeFailureIT). Each must send the whole
 * body: the stock client's shared {@code MultiBufferEntity} interleaves them.
 */
class RetrySafeHttpClientTest {
    private static final HttpHost NODE = HttpHost.create("http://127.0.0.1:9200");

    @Test
    void twoAttemptsDrivenTogetherEachSendTheWholeBody() throws Exception {
        List<ByteBuffer> body = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String action = "{\"index\":{\"_id\":\"d" + i + "\"}}";
            String source = "{\"id\":\"d" + i + "\"}";
            for (String part : List.of(action, "\n", source, "\n")) {
                body.add(ByteBuffer.wrap(part.getBytes(StandardCharsets.UTF_8)));
                expected.append(part);
            }
        }
        TransportHttpClient.Request request = new TransportHttpClient.Request("POST", "/_bulk",
                Map.of(), Map.of("Content-Type", "application/x-ndjson"), body);
        org.elasticsearch.client.Request lowLevel = RetrySafeHttpClient.lowLevelRequest(request,
                new RestClientOptions(RequestOptions.DEFAULT, false));

        HttpPost post = new HttpPost("/_bulk");
        post.setEntity(lowLevel.getEntity());
        Recording first = new Recording();
        Recording retry = new Recording();
        HttpAsyncRequestProducer failed = HttpAsyncMethods.create(NODE, post);
        HttpAsyncRequestProducer retried = HttpAsyncMethods.create(NODE, post);
        while (!first.isCompleted() || !retry.isCompleted()) {
            if (!first.isCompleted()) {
                failed.produceContent(first, null);
            }
            if (!retry.isCompleted()) {
                retried.produceContent(retry, null);
            }
        }
        assertThat(first.text()).isEqualTo(expected.toString());
        assertThat(retry.text()).isEqualTo(expected.toString());
        assertThat(lowLevel.getEntity().getContentLength()).isEqualTo(expected.length());
    }

    @Test
    void theOptionsHeadersWinOverTheTransportDefaults() {
        TransportHttpClient.Request request = new TransportHttpClient.Request("GET", "/_cluster/health",
                Map.of("level", "indices"), Map.of("X-Opaque-Id", "job-7", "User-Agent", "transport"), null);
        RequestOptions options = RequestOptions.DEFAULT.toBuilder().addHeader("user-agent", "caller").build();
        org.elasticsearch.client.Request lowLevel = RetrySafeHttpClient.lowLevelRequest(request,
                new RestClientOptions(options, false));
        assertThat(lowLevel.getOptions().getHeaders())
                .extracting(h -> h.getName() + ": " + h.getValue())
                .contains("user-agent: caller", "X-Opaque-Id: job-7").doesNotContain("User-Agent: transport");
        assertThat(lowLevel.getParameters()).containsEntry("level", "indices").containsKey("ignore");
        assertThat(lowLevel.getEntity()).isNull();
    }

    /** A content encoder that takes a few bytes per call, as a congested socket does. */
    private static final class Recording implements ContentEncoder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean completed;

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(7, src.remaining());
            for (int i = 0; i < n; i++) {
                bytes.write(src.get());
            }
            return n;
        }

        @Override
        public void complete() {
            completed = true;
        }

        @Override
        public boolean isCompleted() {
            return completed;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
