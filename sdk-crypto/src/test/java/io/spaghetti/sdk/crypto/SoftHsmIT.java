package io.spaghetti.sdk.crypto;

import static io.spaghetti.sdk.crypto.CryptoTestSupport.crypto;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spaghetti.sdk.core.Sdk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PKCS#11 provider on a real SoftHSM2 token (Debian's softhsm2): the KEK is an AES key made in
 * the token and wraps data keys with AES-GCM inside it; the signing key is an RSA key in the token.
 * SOFTHSM2_CONF is set for this JVM by the pom.
 */
class SoftHsmIT {
    private static final List<Path> LIBRARIES = List.of(Path.of("/usr/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"));
    private static final String PIN = "4711-spaghetti";
    private static final FieldContext CTX = FieldContext.of("acme", "patient.notes");
    private static Path library;

    @BeforeAll
    static void initToken() throws Exception {
        library = LIBRARIES.stream().filter(Files::isReadable).findFirst().orElse(null);
        if (library == null) {
            String msg = "SoftHSM2 is not installed: apt-get install -y softhsm2 (scripts/test.sh does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        Path conf = Path.of(System.getenv("SOFTHSM2_CONF"));
        Path dir = conf.getParent();
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir.resolve("tokens"));
        Files.writeString(conf, "directories.tokendir = " + dir.resolve("tokens") + "\nobjectstore.backend = file\n"
                + "log.level = ERROR\n");
        run("softhsm2-util", "--init-token", "--free", "--label", "spaghetti", "--pin", PIN, "--so-pin", "so-" + PIN);
        Path providerConfig = dir.resolve("pkcs11.cfg");
        Files.writeString(providerConfig, "name = SoftHSM\nlibrary = " + library + "\nslotListIndex = 0\n");
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias",
                "hsm-signing.v1", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=hsm-signing", "-storetype",
                "PKCS11", "-keystore", "NONE", "-providerClass", "sun.security.pkcs11.SunPKCS11", "-providerArg",
                providerConfig.toString(), "-storepass", PIN);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static Sdk sdk() {
        return CryptoTestSupport.start("provider: pkcs11\nkekName: hsm-kek\nsigningKeyName: hsm-signing\n"
                + "pkcs11:\n  library: " + library + "\n  slotListIndex: 0\n  pin: \"value:" + PIN + "\"\n");
    }

    @Test
    void encryptsRotatesRewrapsAndSignsWithKeysInTheToken() {
        List<String> before = new ArrayList<>();
        String jws;
        byte[] doc = "{\"record\":1}".getBytes(StandardCharsets.UTF_8);
        try (Sdk sdk = sdk()) {
            FieldEncryptor fields = crypto(sdk).fields();
            for (int size : new int[] {0, 1, 64, 1024, 1024 * 1024}) {
                byte[] plain = new byte[size];
                new java.util.Random(size).nextBytes(plain);
                assertThat(fields.decrypt(fields.encrypt(plain, CTX), CTX)).isEqualTo(plain);
            }
            for (int i = 0; i < 3; i++) {
                before.add(fields.encryptString("before-" + i, CTX));
            }
            assertThat(fields.inspect(before.get(0)).provider()).isEqualTo("pkcs11");
            assertThat(fields.inspect(before.get(0)).kekVersion()).isEqualTo("v1");
            byte[] tampered = java.util.Base64.getUrlDecoder().decode(before.get(0).substring(4));
            tampered[tampered.length / 2] ^= 1;
            assertThatThrownBy(() -> fields.decrypt(tampered, CTX)).isInstanceOf(CryptoException.class);

            assertThat(crypto(sdk).keys().rotate()).isEqualTo("v2");
            assertThat(fields.inspect(fields.encryptString("after", CTX)).kekVersion()).isEqualTo("v2");
            before.replaceAll(fields::rewrapString);
            assertThat(before).allSatisfy(c -> assertThat(fields.inspect(c).kekVersion()).isEqualTo("v2"));

            jws = crypto(sdk).signer().sign(doc);
            assertThat(crypto(sdk).signer().verify(doc, jws)).isTrue();
        }
        // keys are token objects: a new instance (new session) finds them
        try (Sdk again = sdk()) {
            for (int i = 0; i < 3; i++) {
                assertThat(crypto(again).fields().decryptString(before.get(i), CTX)).isEqualTo("before-" + i);
            }
            assertThat(crypto(again).keys().currentKekVersion()).isEqualTo("v2");
            assertThat(crypto(again).signer().verify(doc, jws)).isTrue();
            assertThat(crypto(again).signer().verify("other".getBytes(StandardCharsets.UTF_8), jws)).isFalse();
        }
    }
}
