package io.spaghetti.sdk.crypto.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate for {@code localhost} and {@code 127.0.0.1}, made once per JVM
 * with the JDK's keytool (the JDK has no public API to issue certificates).
 */
final class TestCertificate {
    private static TestCertificate instance;

    final Path dir;
    final Path keyStore;
    final Path caPem;
    final Path trustStore;
    final String password = UUID.randomUUID().toString();

    private TestCertificate() throws IOException {
        dir = Files.createTempDirectory("keyvault-test-cert");
        dir.toFile().deleteOnExit();
        keyStore = dir.resolve("server.p12");
        caPem = dir.resolve("ca.pem");
        trustStore = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "vault", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", "vault", "-keystore", keyStore.toString(), "-storepass", password,
                "-file", caPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "vault", "-file", caPem.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", password);
        for (Path p : List.of(keyStore, caPem, trustStore)) {
            p.toFile().deleteOnExit();
        }
    }

    static synchronized TestCertificate get() throws IOException {
        if (instance == null) {
            instance = new TestCertificate();
        }
        return instance;
    }

    SSLContext serverContext() throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("keytool failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
