package io.spaghetti.benchmarks;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeyTemplates;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.crypto.CryptoModule;
import io.spaghetti.sdk.crypto.FieldContext;
import io.spaghetti.sdk.crypto.FieldEncryptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SDK field encryption (envelope, data key cached, local KEK: no vault call in the loop) against
 * bare JCA AES-256-GCM (random nonce per value, the usual bare use) and Tink's AES256_GCM AEAD,
 * each with the same associated data, in one run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CryptoBenchmark {
    @Param({"64", "1024", "65536"})
    int size;

    private Sdk sdk;
    private Path dir;
    private FieldEncryptor fields;
    private final FieldContext context = FieldContext.of("acme", "customer.email");
    private byte[] aad;
    private byte[] plaintext;
    private byte[] sdkCiphertext;
    private SecretKeySpec jcaKey;
    private Cipher jca;
    private final SecureRandom random = new SecureRandom();
    private byte[] jcaNonce;
    private byte[] jcaCiphertext;
    private Aead tink;
    private byte[] tinkCiphertext;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("crypto-bench");
        SdkConfig config = SdkConfig.loader().yaml("bench", "crypto:\n  provider: local\n  local:\n    keystore: "
                + dir.resolve("keys.p12") + "\n  dataKeys:\n    maxMessages: 4294967296\n")
                .environment(Map.of()).systemProperties(new Properties()).load();
        sdk = Sdk.builder().config(config).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new CryptoModule())).build();
        fields = sdk.module(CryptoModule.class).fields();
        aad = io.spaghetti.sdk.crypto.internal.Envelope.associatedData(context);
        plaintext = new byte[size];
        random.nextBytes(plaintext);
        sdkCiphertext = fields.encrypt(plaintext, context);

        byte[] key = new byte[32];
        random.nextBytes(key);
        jcaKey = new SecretKeySpec(key, "AES");
        jca = Cipher.getInstance("AES/GCM/NoPadding");
        jcaNonce = new byte[12];
        random.nextBytes(jcaNonce);
        jca.init(Cipher.ENCRYPT_MODE, jcaKey, new GCMParameterSpec(128, jcaNonce));
        jca.updateAAD(aad);
        jcaCiphertext = jca.doFinal(plaintext);

        AeadConfig.register();
        tink = KeysetHandle.generateNew(KeyTemplates.get("AES256_GCM"))
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
        tinkCiphertext = tink.encrypt(plaintext, aad);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        sdk.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public byte[] sdkEncrypt() {
        return fields.encrypt(plaintext, context);
    }

    @Benchmark
    public byte[] sdkDecrypt() {
        return fields.decrypt(sdkCiphertext, context);
    }

    @Benchmark
    public byte[] jcaEncrypt() throws Exception {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        jca.init(Cipher.ENCRYPT_MODE, jcaKey, new GCMParameterSpec(128, nonce));
        jca.updateAAD(aad);
        return jca.doFinal(plaintext);
    }

    @Benchmark
    public byte[] jcaDecrypt() throws Exception {
        jca.init(Cipher.DECRYPT_MODE, jcaKey, new GCMParameterSpec(128, jcaNonce));
        jca.updateAAD(aad);
        return jca.doFinal(jcaCiphertext);
    }

    @Benchmark
    public byte[] tinkEncrypt() throws Exception {
        return tink.encrypt(plaintext, aad);
    }

    @Benchmark
    public byte[] tinkDecrypt() throws Exception {
        return tink.decrypt(tinkCiphertext, aad);
    }
}
