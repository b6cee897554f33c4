package io.spaghetti.sdk.crypto;

import static io.spaghetti.sdk.crypto.CryptoTestSupport.crypto;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Envelope encryption with the local PKCS#12 provider: format, tampering, contexts, rotation, rewrap. */
class FieldEncryptionTest {
    private static final List<byte[]> SECRETS = new ArrayList<>();
    private static final FieldContext CTX = FieldContext.of("acme", "customer.email");

    /** One key store for the class: keytool makes its RSA signing key once. */
    @TempDir
    static Path dir;
    private Sdk sdk;
    private FieldEncryptor fields;

    @BeforeEach
    void start() {
        sdk = CryptoTestSupport.start(CryptoTestSupport.localYaml(dir.resolve("keys.p12"))
                + "dataKeys:\n  maxMessages: 1000\n");
        fields = crypto(sdk).fields();
    }

    @AfterEach
    void stop() {
        sdk.close();
    }

    private static byte[] secret(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        if (size >= 24) {
            System.arraycopy("PLAINTEXT-MARKER-".getBytes(), 0, b, 0, 17);
            SECRETS.add(java.util.Arrays.copyOf(b, 24));
        }
        return b;
    }

    @Test
    void roundTripsEverySize() {
        for (int size : new int[] {0, 1, 64, 1024, 1024 * 1024}) {
            byte[] plain = secret(size, size);
            byte[] c = fields.encrypt(plain, CTX);
            assertThat(fields.decrypt(c, CTX)).as("%d bytes", size).isEqualTo(plain);
            String text = fields.encryptString(new String(plain, StandardCharsets.ISO_8859_1), CTX);
            assertThat(text).startsWith("sp1.");
        }
        assertThat(fields.decryptString(fields.encryptString("héllo ✓", CTX), CTX)).isEqualTo("héllo ✓");
    }

    @Test
    void everySingleByteChangeIsRejectedWithTheSdkError() {
        for (int size : new int[] {0, 1, 64}) {
            byte[] c = fields.encrypt(secret(size, 100 + size), CTX);
            for (int i = 0; i < c.length; i++) {
                for (int bit : new int[] {0x01, 0x80, 0xFF}) {
                    byte[] t = c.clone();
                    t[i] ^= (byte) bit;
                    int at = i;
                    assertThatThrownBy(() -> fields.decrypt(t, CTX)).as("byte %d of %d", at, c.length)
                            .isInstanceOf(CryptoException.class).hasMessageNotContaining("MARKER");
                }
            }
        }
        byte[] big = fields.encrypt(secret(1024 * 1024, 7), CTX);
        Random r = new Random(1);
        for (int n = 0; n < 200; n++) {
            byte[] t = big.clone();
            t[r.nextInt(t.length)] ^= (byte) (1 + r.nextInt(255));
            assertThatThrownBy(() -> fields.decrypt(t, CTX)).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void aWrongContextIsRejectedAndNamesTheFix() {
        String c = fields.encryptString("alice@example.com", CTX);
        for (FieldContext wrong : List.of(FieldContext.of("other", "customer.email"), FieldContext.of("acme", "customer.phone"),
                FieldContext.of("acmec", "ustomer.email"))) {
            assertThatThrownBy(() -> fields.decryptString(c, wrong)).isInstanceOf(CryptoException.class)
                    .hasMessageContaining("another tenant or field").hasMessageNotContaining("alice")
                    .extracting(e -> ((CryptoException) e).reason()).isEqualTo(CryptoException.Reason.AUTHENTICATION_FAILED);
        }
    }

    @Test
    void theParserThrowsOnlyTheSdkErrorForRandomAndMutatedInput() {
        Random r = new Random(42);
        byte[] valid = fields.encrypt(secret(64, 9), CTX);
        for (int i = 0; i < 5_000; i++) {
            byte[] in;
            if (i % 2 == 0) {
                in = new byte[r.nextInt(400)];
                r.nextBytes(in);
                if (in.length > 1 && r.nextBoolean()) {
                    in[0] = 1;
                    in[1] = 1;
                }
            } else {
                in = valid.clone();
                for (int m = 0; m <= r.nextInt(4); m++) {
                    in[r.nextInt(in.length)] = (byte) r.nextInt(256);
                }
                if (r.nextBoolean()) {
                    in = java.util.Arrays.copyOf(in, r.nextInt(in.length));
                }
            }
            byte[] input = in;
            try {
                fields.decrypt(input, CTX);
            } catch (CryptoException expected) {
                // the only failure allowed
            }
            try {
                fields.decryptString("sp1." + java.util.Base64.getUrlEncoder().encodeToString(input), CTX);
            } catch (CryptoException expected) {
                // ditto
            }
        }
        assertThatThrownBy(() -> fields.decryptString("not encrypted", CTX)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("does not start with 'sp1.'");
    }

    @Test
    void rotationUsesTheNewVersionAtOnceAndRewrapKeepsTheData() {
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            before.add(fields.encryptString("before-" + i, CTX));
        }
        String v1 = crypto(sdk).keys().currentKekVersion();
        String v2 = crypto(sdk).keys().rotate();
        assertThat(v2).isNotEqualTo(v1);
        String after = fields.encryptString("after", CTX);
        assertThat(fields.inspect(after).kekVersion()).isEqualTo(v2);
        assertThat(fields.inspect(before.get(0)).kekVersion()).isEqualTo(v1);
        for (int i = 0; i < 5; i++) {
            String rewrapped = fields.rewrapString(before.get(i));
            assertThat(fields.inspect(rewrapped).kekVersion()).isEqualTo(v2);
            // the data part is untouched: same nonce, ciphertext and tag
            byte[] a = java.util.Base64.getUrlDecoder().decode(before.get(i).substring(4));
            byte[] b = java.util.Base64.getUrlDecoder().decode(rewrapped.substring(4));
            int body = fields.inspect(before.get(i)).plaintextLength() + 12 + 16;
            assertThat(java.util.Arrays.copyOfRange(b, b.length - body, b.length))
                    .isEqualTo(java.util.Arrays.copyOfRange(a, a.length - body, a.length));
            assertThat(fields.decryptString(rewrapped, CTX)).isEqualTo("before-" + i);
        }
        assertThat(fields.rewrapString(after)).isEqualTo(after);
        // five values shared one data key: one rewrap wrap, not five
        assertThat(CryptoTestSupport.counter(sdk, "crypto.key.operations", "operation", "rewrap")).isEqualTo(1);
    }

    @Test
    void rewrapAfterASecondRotationTargetsTheNewestVersion() {
        String value = fields.encryptString("twice", CTX);
        String v2 = crypto(sdk).keys().rotate();
        assertThat(fields.inspect(fields.rewrapString(value)).kekVersion()).isEqualTo(v2);
        String v3 = crypto(sdk).keys().rotate();
        String rewrapped = fields.rewrapString(value);
        assertThat(fields.inspect(rewrapped).kekVersion()).isEqualTo(v3).isNotEqualTo(v2);
        assertThat(fields.decryptString(rewrapped, CTX)).isEqualTo("twice");
    }

    @Test
    void verificationAcceptsOnlyTheConfiguredKeyAndAlgorithm() {
        DocumentSigner signer = crypto(sdk).signer();
        byte[] doc = "{\"contract\":42}".getBytes(StandardCharsets.UTF_8);
        String jws = signer.sign(doc);
        String signature = jws.substring(jws.indexOf(".."));
        java.util.function.Function<String, String> withHeader = h -> java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(h.getBytes(StandardCharsets.UTF_8)) + signature;
        assertThat(signer.verify(doc, jws)).isTrue();
        double lookups = CryptoTestSupport.counter(sdk, "crypto.key.operations", "operation", "get-public-key");

        assertThatThrownBy(() -> signer.verify(doc, withHeader.apply("{\"alg\":\"PS256\",\"kid\":\"other-key/v1\"}")))
                .isInstanceOf(CryptoException.class).hasMessageContaining("not a version of the signing key spaghetti-signing");
        assertThatThrownBy(() -> signer.verify(doc, withHeader.apply("{\"alg\":\"RS256\",\"kid\":\"spaghetti-signing/v1\"}")))
                .isInstanceOf(CryptoException.class).hasMessageContaining("verifies PS256 only");
        assertThatThrownBy(() -> signer.verify(doc, withHeader.apply("{\"alg\":\"PS256\",\"kid\":\"spaghetti-signing/../x\"}")))
                .isInstanceOf(CryptoException.class);
        assertThat(CryptoTestSupport.counter(sdk, "crypto.key.operations", "operation", "get-public-key"))
                .as("no key lookup for a refused token").isEqualTo(lookups);
    }

    @Test
    void aDataKeyEncryptsAtMostMaxMessagesValues() {
        for (int i = 0; i < 2500; i++) {
            fields.encrypt(new byte[8], CTX);
        }
        assertThat(CryptoTestSupport.counter(sdk, "crypto.key.operations", "operation", "wrap")).isEqualTo(3);
    }

    @Test
    void documentsAreSignedAndVerifiedLocally() {
        DocumentSigner signer = crypto(sdk).signer();
        byte[] doc = "{\"contract\":42}".getBytes(StandardCharsets.UTF_8);
        String jws = signer.sign(doc);
        assertThat(jws).contains("..");
        String header = new String(java.util.Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))));
        assertThat(header).isEqualTo("{\"alg\":\"PS256\",\"kid\":\"spaghetti-signing/v1\"}");
        assertThat(signer.verify(doc, jws)).isTrue();
        assertThat(signer.verify("{\"contract\":43}".getBytes(StandardCharsets.UTF_8), jws)).isFalse();
        assertThatThrownBy(() -> signer.verify(doc, "garbage")).isInstanceOf(CryptoException.class);
    }

    @Test
    void tokensNeedAKeyAndAreBoundToTheirPurpose() {
        assertThatThrownBy(() -> crypto(sdk).tokens()).isInstanceOf(CryptoException.class)
                .hasMessageContaining("crypto.tokenKey");
        byte[] key = new byte[32];
        new Random(3).nextBytes(key);
        SECRETS.add(key);
        String keyB64 = java.util.Base64.getEncoder().encodeToString(key);
        try (Sdk withKey = CryptoTestSupport.start(CryptoTestSupport.localYaml(dir.resolve("k2.p12"))
                + "tokenKey: \"value:" + keyB64 + "\"\n")) {
            TokenProtector tokens = crypto(withKey).tokens();
            String token = "api-token-PLAINTEXT-MARKER-123";
            SECRETS.add(token.getBytes());
            String protectedToken = tokens.protect(token, "partner-api");
            assertThat(protectedToken).startsWith("tk1.").doesNotContain("MARKER");
            assertThat(tokens.unprotect(protectedToken, "partner-api")).isEqualTo(token);
            assertThatThrownBy(() -> tokens.unprotect(protectedToken, "admin-api")).isInstanceOf(CryptoException.class)
                    .hasMessageContaining("another purpose");
        }
    }

    @Test
    void badConfigurationNamesTheKeyAndTheFix() {
        assertThatThrownBy(() -> CryptoTestSupport.start("provider: azure_key_vault\nkeyVault:\n  url: http://x\n"))
                .hasMessageContaining("crypto.keyVault.url").hasMessageContaining("https");
        assertThatThrownBy(() -> CryptoTestSupport.start("kekName: \"bad name!\"\n"))
                .hasMessageContaining("crypto.kekName");
        // A bad token key is a configuration error at start-up, not a half-started module; its value is not shown.
        assertThatThrownBy(() -> CryptoTestSupport.start(CryptoTestSupport.localYaml(dir.resolve("keys.p12"))
                + "tokenKey: value:bm90LWEta2V5\n"))
                .isInstanceOf(io.spaghetti.sdk.core.config.SdkConfigException.class)
                .hasMessageContaining("crypto.tokenKey").hasMessageContaining("openssl rand -base64 32")
                .hasMessageNotContaining("bm90LWEta2V5");
    }

    @Test
    void theLocalProviderWarnsLoudlyInProduction() throws Exception {
        SdkConfig config = SdkConfig.loader().yaml("t", "service:\n  name: crypto-test\n  environment: production\n"
                + "crypto:\n" + CryptoTestSupport.localYaml(dir.resolve("prod.p12")).indent(2))
                .environment(java.util.Map.of()).systemProperties(new java.util.Properties()).load();
        try (Sdk prod = Sdk.builder().config(config).meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .modules(List.of(new CryptoModule())).build()) {
            assertThat(crypto(prod).fields()).isNotNull();
        }
        String log = java.nio.file.Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
        assertThat(log).contains("WARN").contains("!!! crypto.provider is LOCAL in environment 'production'");
    }

    @AfterAll
    static void logsHoldNoSecret() throws Exception {
        CryptoTestSupport.assertLogsHoldNone(SECRETS);
    }
}
