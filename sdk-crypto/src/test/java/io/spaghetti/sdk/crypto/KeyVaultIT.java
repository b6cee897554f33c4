package io.spaghetti.sdk.crypto;

import static io.spaghetti.sdk.crypto.CryptoTestSupport.counter;
import static io.spaghetti.sdk.crypto.CryptoTestSupport.crypto;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.azure.core.credential.AccessToken;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.models.KeyProperties;
import io.netty.handler.ssl.SslContextBuilder;
import io.spaghetti.sdk.core.HealthStatus;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.crypto.testing.KeyVaultTestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real azure-security-keyvault-keys and azure-identity clients against the Key Vault protocol
 * server; the credential is DefaultAzureCredential reaching managed identity through
 * IDENTITY_ENDPOINT (set by the pom for this JVM).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyVaultIT {
    private static final FieldContext CTX = FieldContext.of("acme", "customer.email");
    private KeyVaultTestServer vault;
    private final List<Sdk> sdks = new ArrayList<>();
    private final List<byte[]> secrets = new ArrayList<>();

    @BeforeAll
    void startVault() throws Exception {
        vault = KeyVaultTestServer.start(18941);
        assertThat(System.getenv("IDENTITY_ENDPOINT")).isEqualTo(vault.identityEndpoint());
    }

    @AfterEach
    void closeSdks() {
        sdks.forEach(Sdk::close);
        sdks.clear();
        vault.rejectTokens(false);
    }

    @AfterAll
    void stopVault() throws Exception {
        for (String token : vault.issuedTokens()) {
            secrets.add(token.getBytes(StandardCharsets.UTF_8));
        }
        vault.close();
        CryptoTestSupport.assertLogsHoldNone(secrets);
    }

    private Sdk sdk(String kek, String extra) {
        String yaml = "provider: azure_key_vault\nkekName: " + kek + "\nsigningKeyName: " + kek + "-signing\n"
                + "keyVault:\n  url: " + vault.vaultUrl() + "\n  caFile: " + vault.caCertificate()
                + "\n  verifyChallengeResource: false\n  createMissingKeys: true\n  keySize: 2048\n  timeout: 2s\n" + extra;
        String resilience = "resilience:\n  dependencies:\n    key-vault:\n      retry:\n        maxAttempts: 5\n"
                + "        initialBackoff: 50ms\n      circuitBreaker:\n        minimumNumberOfCalls: 10\n"
                + "        slidingWindowSize: 10\n        waitInOpenState: 1s\n        permittedCallsInHalfOpenState: 1\n";
        Sdk sdk = CryptoTestSupport.start(yaml, resilience);
        sdks.add(sdk);
        return sdk;
    }

    private static String kek() {
        return "kek-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private byte[] plaintext(int i) {
        byte[] p = ("PLAINTEXT-MARKER-" + i + "-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        if (i < 3) {
            secrets.add(p);
        }
        return p;
    }

    @Test
    void bootstrapsThroughManagedIdentityCreatesTheKeysAndAppliesTheRotationPolicy() {
        String kek = kek();
        Sdk sdk = sdk(kek, "");
        assertThat(sdk.checkHealth().module("crypto").status()).isEqualTo(HealthStatus.UP);
        assertThat(vault.identityClientIds()).isNotEmpty();
        assertThat(vault.versions(kek)).hasSize(1);
        assertThat(vault.versions(kek + "-signing")).hasSize(1);
        assertThat(vault.rotationPolicy(kek).toString()).contains("\"timeAfterCreate\":\"P90D\"")
                .contains("\"timeBeforeExpiry\":\"P30D\"").contains("P365D");

        sdk(kek, "  clientId: 6d5f1b0e-0000-4000-8000-00000000c1d1\n");
        assertThat(vault.identityClientIds()).contains("6d5f1b0e-0000-4000-8000-00000000c1d1");
    }

    @Test
    void theVaultIsCalledOncePerDataKeyNotPerValue() {
        String kek = kek();
        Sdk a = sdk(kek, "dataKeys:\n  maxMessages: 100000\n");
        FieldEncryptor fields = crypto(a).fields();
        long wrapsBefore = vault.requests("wrapkey");
        long unwrapsBefore = vault.requests("unwrapkey");
        int n = 200_000;
        List<byte[]> cts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cts.add(fields.encrypt(plaintext(i), CTX));
        }
        for (byte[] c : cts) {
            fields.decrypt(c, CTX);
        }
        long wraps = vault.requests("wrapkey") - wrapsBefore;
        assertThat(wraps).isEqualTo(2);
        assertThat(vault.requests("unwrapkey") - unwrapsBefore).isZero();

        Sdk b = sdk(kek, "");
        for (byte[] c : cts) {
            crypto(b).fields().decrypt(c, CTX);
        }
        long unwraps = vault.requests("unwrapkey") - unwrapsBefore;
        assertThat(unwraps).isEqualTo(2);
        System.out.printf("key vault calls: %d wraps for %d encryptions, %d unwraps for %d decryptions (half of them "
                + "on a fresh instance) = %.1f vault calls per million operations%n", wraps, n, unwraps, 2 * n,
                (wraps + unwraps) * 1e6 / (3.0 * n));
        assertThat(counter(b, "crypto.dek.cache", "result", "miss")).isEqualTo(2);
    }

    @Test
    void rotationEndToEnd() {
        String kek = kek();
        Sdk sdk = sdk(kek, "");
        FieldEncryptor fields = crypto(sdk).fields();
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            old.add(fields.encryptString("old-" + i, CTX));
        }
        String v1 = crypto(sdk).keys().currentKekVersion();
        String v2 = crypto(sdk).keys().rotate();
        assertThat(vault.versions(kek)).containsExactly(v1, v2);
        String fresh = fields.encryptString("new", CTX);
        assertThat(fields.inspect(fresh).kekVersion()).isEqualTo(v2);
        assertThat(fields.decryptString(old.get(3), CTX)).isEqualTo("old-3");
        assertThat(fields.decryptString(fresh, CTX)).isEqualTo("new");

        List<String> rewrapped = old.stream().map(fields::rewrapString).toList();
        assertThat(rewrapped).allSatisfy(c -> assertThat(fields.inspect(c).kekVersion()).isEqualTo(v2));

        // a rotation done in the vault (portal, policy) is picked up by refresh
        KeyClient admin = adminClient();
        String v3 = admin.rotateKey(kek).getProperties().getVersion();
        assertThat(crypto(sdk).keys().refresh()).isEqualTo(v3);
        String newest = fields.encryptString("newest", CTX);
        assertThat(fields.inspect(newest).kekVersion()).isEqualTo(v3);

        KeyProperties props = admin.getKey(kek, v1).getProperties().setEnabled(false);
        admin.updateKeyProperties(props);

        Sdk other = sdk(kek, "");
        FieldEncryptor otherFields = crypto(other).fields();
        for (int i = 0; i < 10; i++) {
            assertThat(otherFields.decryptString(rewrapped.get(i), CTX)).isEqualTo("old-" + i);
        }
        assertThat(otherFields.decryptString(fresh, CTX)).isEqualTo("new");
        assertThat(otherFields.decryptString(newest, CTX)).isEqualTo("newest");
        assertThatThrownBy(() -> otherFields.decryptString(old.get(0), CTX)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("disabled").extracting(e -> ((CryptoException) e).reason())
                .isEqualTo(CryptoException.Reason.KEY_UNAVAILABLE);
    }

    @Test
    void whileTheVaultIsDownCachedDataKeysWorkNewOnesFailClearlyAndTheCircuitOpensAndCloses() throws Exception {
        String kek = kek();
        Sdk writer = sdk(kek, "");
        Sdk reader = sdk(kek, "");
        Sdk idle = sdk(kek, "");
        String seenByReader = crypto(writer).fields().encryptString("seen", CTX);
        crypto(reader).fields().decryptString(seenByReader, CTX);
        List<String> unseen = valuesUnderTheirOwnDataKeys(kek, "unseen-", 6);

        vault.down(true);
        try {
            String whileDown = crypto(writer).fields().encryptString("while down", CTX);
            assertThat(crypto(writer).fields().decryptString(whileDown, CTX)).isEqualTo("while down");
            assertThat(crypto(reader).fields().decryptString(seenByReader, CTX)).isEqualTo("seen");

            assertThatThrownBy(() -> crypto(idle).fields().encryptString("x", CTX)).isInstanceOf(CryptoException.class)
                    .hasMessageContaining("cannot wrap")
                    .extracting(e -> ((CryptoException) e).reason()).isEqualTo(CryptoException.Reason.VAULT_UNAVAILABLE);
            for (String c : unseen) {
                assertThatThrownBy(() -> crypto(reader).fields().decryptString(c, CTX))
                        .isInstanceOf(CryptoException.class);
            }
            assertThat(reader.checkHealth().module("crypto").status()).isEqualTo(HealthStatus.DEGRADED);
            assertThatThrownBy(() -> crypto(reader).fields().decryptString(unseen.get(0), CTX))
                    .hasMessageContaining("circuit open");
        } finally {
            vault.down(false);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> crypto(reader).fields().decryptString(unseen.get(1), CTX).equals("unseen-1"));
        assertThat(reader.checkHealth().module("crypto").status()).isEqualTo(HealthStatus.UP);
        assertThat(crypto(idle).fields().encryptString("back", CTX)).startsWith("sp1.");
    }

    @Test
    void a429StormIsRetriedWithBackOffAndNoOperationIsLost() throws Exception {
        String kek = kek();
        List<String> values = valuesUnderTheirOwnDataKeys(kek, "v", 8);
        Sdk reader = sdk(kek, "");
        long unwrapsBefore = vault.requests("unwrapkey");
        long faultsBefore = vault.faultsAnswered();
        vault.failNext(6, 429, Duration.ofSeconds(1));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long start = System.nanoTime();
        try {
            List<Future<String>> results = new ArrayList<>();
            for (String v : values) {
                results.add(pool.submit(() -> crypto(reader).fields().decryptString(v, CTX)));
            }
            for (int i = 0; i < values.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo("v" + i);
            }
        } finally {
            pool.shutdown();
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMs).as("Retry-After of 1 s honoured").isGreaterThanOrEqualTo(1000);
        assertThat(vault.faultsAnswered() - faultsBefore).isEqualTo(6);
        assertThat(vault.requests("unwrapkey") - unwrapsBefore).as("each served once").isEqualTo(8);
        assertThat(reader.checkHealth().module("crypto").status()).as("throttling does not open the circuit")
                .isEqualTo(HealthStatus.UP);
        assertThat(counter(reader, "resilience4j.retry.calls", "name", "key-vault", "kind", "successful_with_retry"))
                .isPositive();

        vault.failNext(2, 500, null);
        Sdk writer = sdk(kek, "");
        assertThat(crypto(writer).fields().encryptString("after 500s", CTX)).startsWith("sp1.");
    }

    @Test
    void refusedCredentialsAreCountedAsAuthFailures() {
        String kek = kek();
        List<String> values = valuesUnderTheirOwnDataKeys(kek, "v", 11);
        Sdk reader = sdk(kek, "");
        vault.rejectTokens(true);
        for (String v : values) {
            assertThatThrownBy(() -> crypto(reader).fields().decryptString(v, CTX)).isInstanceOf(CryptoException.class)
                    .hasMessageContaining("refused the identity").hasMessageContaining("Key Vault Crypto User");
        }
        assertThat(counter(reader, "crypto.vault.auth.failures")).isEqualTo(11);
        assertThat(reader.checkHealth().module("crypto").status()).as("auth failures do not open the circuit")
                .isEqualTo(HealthStatus.UP);
    }

    @Test
    void documentsAreSignedInTheVaultAndVerifiedLocally() {
        for (String alg : List.of("PS256", "RS256")) {
            String kek = kek();
            Sdk sdk = sdk(kek, "signatureAlgorithm: " + alg + "\n");
            DocumentSigner signer = crypto(sdk).signer();
            byte[] doc = ("{\"invoice\":" + alg.hashCode() + "}").getBytes(StandardCharsets.UTF_8);
            long verifiesBefore = vault.requests("verify");
            String jws = signer.sign(doc);
            String header = new String(java.util.Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))));
            assertThat(header).contains("\"alg\":\"" + alg + "\"")
                    .contains("\"kid\":\"" + kek + "-signing/" + vault.versions(kek + "-signing").get(0) + "\"");
            assertThat(signer.verify(doc, jws)).isTrue();
            assertThat(signer.verify("tampered".getBytes(StandardCharsets.UTF_8), jws)).isFalse();
            assertThat(vault.requests("verify")).isEqualTo(verifiesBefore);
        }
    }

    /**
     * {@code count} values ({@code prefix}0, {@code prefix}1, ...), each encrypted by a throwaway
     * instance, so each has a data key no other instance has cached: decrypting one needs the vault.
     */
    private List<String> valuesUnderTheirOwnDataKeys(String kek, String prefix, int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try (Sdk other = sdk(kek, "")) {
                values.add(crypto(other).fields().encryptString(prefix + i, CTX));
            }
        }
        return values;
    }

    private KeyClient adminClient() {
        try {
            var ssl = SslContextBuilder.forClient().trustManager(vault.caCertificate().toFile()).build();
            var http = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                    .secure(spec -> spec.sslContext(ssl))).build();
            String token = vault.issueToken();
            return new KeyClientBuilder().vaultUrl(vault.vaultUrl()).httpClient(http)
                    .credential(request -> reactor.core.publisher.Mono.just(
                            new AccessToken(token, OffsetDateTime.now().plusHours(1))))
                    .disableChallengeResourceVerification().buildClient();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }
}
