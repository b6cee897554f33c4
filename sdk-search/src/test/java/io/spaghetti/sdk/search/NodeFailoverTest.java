package io.spaghetti.sdk.search;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import com.sun.net.httpserver.HttpServer;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.search.internal.SearchClientFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A node that dies in the middle of a request: the client retries it on the next node, with the whole body. */
class NodeFailoverTest {
    private static final int OPERATIONS = 2_000;

    @Test
    void aRequestRetriedOnAnotherNodeCarriesItsWholeBody() throws Exception {
        List<String> bulks = new CopyOnWriteArrayList<>();
        HttpServer live = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        live.createContext("/", exchange -> {
            bulks.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] out = "{\"took\":1,\"errors\":false,\"items\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        live.start();
        try (DyingNode dying = new DyingNode()) {
            ElasticsearchClient client = SearchClientFactory.create(config(List.of(
                    "http://127.0.0.1:" + dying.port(), "http://127.0.0.1:" + live.getAddress().getPort())));
            List<BulkOperation> ops = new ArrayList<>();
            for (int i = 0; i < OPERATIONS; i++) {
                String id = "d" + i;
                ops.add(BulkOperation.of(o -> o.index(x -> x.index("docs").id(id)
                        .document(Map.of("id", id, "title", "document " + id)))));
            }
            client.bulk(b -> b.operations(ops));
            client._transport().close();

            assertThat(dying.connections.get()).as("the first node was tried and died mid-body").isPositive();
            assertThat(bulks).hasSize(1);
            String[] lines = bulks.get(0).split("\n");
            assertThat(lines).hasSize(2 * OPERATIONS);
            assertThat(lines[0]).startsWith("{\"index\":").contains("\"d0\"");
            assertThat(lines[2 * OPERATIONS - 1]).contains("document d" + (OPERATIONS - 1));
        } finally {
            live.stop(0);
        }
    }

    private static SearchConfig config(List<String> hosts) {
        SearchConfig d = SdkConfig.defaults().section(SearchConfig.SECTION);
        return new SearchConfig(true, true, hosts, null, null, null, null, d.connectTimeout(), d.socketTimeout(),
                false, "docs", d.bulk(), d.lifecycle(), d.snapshots(), Map.of(), d.results());
    }

    /** Reads the start of every request, then resets the connection, as a SIGKILLed node's kernel does. */
    private static final class DyingNode implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final Thread acceptor = new Thread(this::serve, "dying-node");

        DyingNode() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    connections.incrementAndGet();
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[8192];
                    int read = 0;
                    for (int n; read < 32_768 && (n = in.read(buf)) > 0; ) {
                        read += n;
                    }
                    s.setSoLinger(true, 0);
                } catch (IOException e) {
                    // closed by the test, or the client gave up first
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
