package io.spaghetti.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.testing.BadInputSuite;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared bad-input table (examples/bad-input-cases.tsv) against the plain example on the real stack. */
class BadInputIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ExampleService service;

    @BeforeAll
    static void start() throws Exception {
        service = new ExampleService(Sdk.bootstrap(StackConfig.load()), 0);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyBadRequestIsAnswered4xxWithAReasonAndStoresNothing() throws Exception {
        List<BadInputSuite.Case> cases = BadInputSuite.load(Path.of("../bad-input-cases.tsv"));
        assertThat(BadInputSuite.run("127.0.0.1", service.port(), cases)).as("bad input answered otherwise").isEmpty();
        assertThat(get("/profiles/p1?tenant=t1").statusCode()).as("no bad profile was stored").isEqualTo(404);
        assertThat(get("/search?tenant=t-bad-input").body()).as("no bad document was indexed").contains("\"total\":0");
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void clientsThatStallMidBodyDoNotStallTheService() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket("127.0.0.1", service.port());
                s.getOutputStream().write(("PUT /profiles/slow" + i + "?tenant=t1 HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":").getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                stalled.add(s);
            }
            long t0 = System.nanoTime();
            assertThat(get("/health").statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            for (Socket s : stalled) {
                s.setSoTimeout(20_000);
                // The server gives up on the body after its idle timeout and ends the exchange.
                byte[] answer = s.getInputStream().readNBytes(12);
                assertThat(answer.length == 0 || new String(answer, StandardCharsets.US_ASCII).matches("HTTP/1\\.1 4\\d\\d"))
                        .as("a 4xx or a closed connection, got '%s'", new String(answer, StandardCharsets.US_ASCII)).isTrue();
            }
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        assertThat(get("/profiles/slow0?tenant=t1").statusCode()).isEqualTo(404);
    }
}
