package io.spaghetti.sdk.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The services of scripts/stack.sh that later modules build on are really there, secured as the
 * stack promises: a green 3-node Elasticsearch over TLS with a least-privilege file-realm user,
 * and an Unleash server seeded with the platform flags behind a client token.
 */
class LocalStackIT {

    @Test
    void elasticsearchIsAGreenSecuredThreeNodeClusterWithALeastPrivilegeAppUser() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trusting(Path.of(StackEnv.require("STACK_ES_CA_FILE"))))
                .build();
        String host = StackEnv.require("STACK_ES_HOSTS").split(",")[0];
        String app = basic(StackEnv.require("STACK_ES_APP_USER"), StackEnv.require("STACK_ES_APP_PASSWORD"));

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(host + "/_cluster/health"))
                .header("Authorization", app).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"number_of_nodes\":3").doesNotContain("\"status\":\"red\"");

        HttpResponse<String> outsideRole = http.send(HttpRequest.newBuilder(URI.create(host + "/forbidden-index/_search"))
                .header("Authorization", app).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(outsideRole.statusCode()).isEqualTo(403);

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(host + "/_cluster/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void unleashServesTheSeededPlatformFlagsToTheClientToken() throws Exception {
        HttpResponse<String> features = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(StackEnv.require("STACK_UNLEASH_URL") + "/client/features"))
                        .header("Authorization", StackEnv.require("STACK_UNLEASH_CLIENT_TOKEN")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(features.statusCode()).isEqualTo(200);
        assertThat(features.body()).contains("ai_document_generation", "advanced_search", "real_time_collaboration",
                "beta_users", "power_users", "alpha_users");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext trusting(Path caFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
