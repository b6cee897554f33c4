package io.spaghetti.sdk.crypto;

import java.util.Locale;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.spaghetti.sdk.core.Health;
import io.spaghetti.sdk.core.ModuleContext;
import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.ValueProtector;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.resilience.RemotePolicy;
import io.spaghetti.sdk.crypto.internal.AesTokenProtector;
import io.spaghetti.sdk.crypto.internal.AzureKeyVaultKekProvider;
import io.spaghetti.sdk.crypto.internal.DataKeys;
import io.spaghetti.sdk.crypto.internal.EnvelopeFieldEncryptor;
import io.spaghetti.sdk.crypto.internal.JwsDocumentSigner;
import io.spaghetti.sdk.crypto.internal.KekProvider;
import io.spaghetti.sdk.crypto.internal.KeyOperations;
import io.spaghetti.sdk.crypto.internal.KeyStoreKekProvider;
import io.spaghetti.sdk.crypto.internal.RotationNotifier;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code crypto}: field encryption, document signing, token protection and KEK rotation,
 * with the KEK in Azure Key Vault, a PKCS#11 token or (development) a local PKCS#12 file.
 */
public final class CryptoModule implements SdkModule, ValueProtector {
    private static final Logger log = LoggerFactory.getLogger(CryptoModule.class);
    private static final Set<String> PRODUCTION = Set.of("prod", "production", "prd");

    private final Function<CryptoConfig, KekProvider> providerFactory;
    private volatile CryptoConfig config;
    private volatile KekProvider provider;
    private volatile KeyOperations ops;
    private volatile DataKeys dataKeys;
    private volatile FieldEncryptor fields;
    private volatile DocumentSigner signer;
    private volatile TokenProtector tokens;
    private volatile String signingVersion;
    private volatile CircuitBreaker circuitBreaker;
    private volatile ScheduledFuture<?> refresh;
    private volatile RotationNotifier notifier;
    private final List<RotationListener> rotationListeners = new CopyOnWriteArrayList<>();

    /** For {@link java.util.ServiceLoader}: the provider named by {@code crypto.provider}. */
    public CryptoModule() {
        this(null);
    }

    /** With a provider built by the caller from the config (tests, or a credential made elsewhere); null: from config. */
    public CryptoModule(Function<CryptoConfig, KekProvider> providerFactory) {
        this.providerFactory = providerFactory;
    }

    @Override
    public String name() {
        return "crypto";
    }

    @Override
    public ConfigSection<CryptoConfig> configSection() {
        return CryptoConfig.SECTION;
    }

    @Override
    public void start(ModuleContext context) {
        CryptoConfig c = context.config().section(CryptoConfig.SECTION);
        String environment = context.config().service().environment();
        if (c.provider() == CryptoConfig.Provider.LOCAL && environment != null
                && PRODUCTION.contains(environment.toLowerCase(Locale.ROOT))) {
            log.warn("!!! crypto.provider is LOCAL in environment '{}': data keys are wrapped by a key in a local file, "
                    + "not an HSM. Use azure_key_vault or pkcs11 in production. !!!", environment);
        }
        KekProvider p = providerFactory != null ? providerFactory.apply(c) : fromConfig(c, context);
        try {
            RemotePolicy policy = context.resilience().policy("key-vault", p::isTransient, p::isOutage,
                    p::retryAfter);
            KeyOperations operations = new KeyOperations(p, policy, context.meterRegistry(), context.observationRegistry());
            operations.run("ensure", c.kekName(), null, () -> {
                p.ensureKey(c.kekName(), false);
                return null;
            });
            operations.run("ensure", c.signingKeyName(), null, () -> {
                p.ensureKey(c.signingKeyName(), true);
                return null;
            });
            operations.run("rotation-policy", c.kekName(), null, () -> {
                p.applyRotationPolicy(c.kekName());
                return null;
            });
            DataKeys keys = new DataKeys(operations, c.kekName(), c.dataKeys(), context.meterRegistry());
            keys.useKekVersion(operations.run("get-version", c.kekName(), null, () -> p.currentVersion(c.kekName())));
            String signingKeyVersion = operations.run("get-version", c.signingKeyName(), null,
                    () -> p.currentVersion(c.signingKeyName()));
            TokenProtector tokenProtector = c.tokenKey() == null ? null
                    : new AesTokenProtector(Base64.getDecoder().decode(c.tokenKey().reveal().trim()));
            // Everything built: publish. Nothing above is visible to callers if any step failed.
            signingVersion = signingKeyVersion;
            fields = new EnvelopeFieldEncryptor(keys, p.formatId());
            signer = new JwsDocumentSigner(operations, c.signingKeyName(), c.signatureAlgorithm(), () -> signingVersion);
            tokens = tokenProtector;
            circuitBreaker = policy.circuitBreaker();
            dataKeys = keys;
            ops = operations;
            provider = p;
            config = c;
            notifier = notifier(c, context);
            refresh = context.scheduleBlocking("KEK version refresh", c.kekRefresh(), this::refreshQuietly);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private RotationNotifier notifier(CryptoConfig c, ModuleContext context) {
        List<RotationNotifier.Webhook> hooks = new ArrayList<>();
        if (c.notices().slack() != null) {
            hooks.add(new RotationNotifier.Webhook(RotationNotifier.Format.SLACK, c.notices().slack()));
        }
        if (c.notices().teams() != null) {
            hooks.add(new RotationNotifier.Webhook(RotationNotifier.Format.TEAMS, c.notices().teams()));
        }
        if (hooks.isEmpty()) {
            return null;
        }
        RotationNotifier n = new RotationNotifier(hooks, context.config().service().name(),
                context.resilience().policy("rotation-webhook"), c.notices().timeout(),
                context.threadFactory("rotation-notices"));
        rotationListeners.add(n);
        return n;
    }

    private void announce(RotationEvent.Kind kind, String previous, String version, long values, String problem) {
        RotationEvent e = new RotationEvent(kind, config.kekName(), previous, version, values, problem, Instant.now());
        for (RotationListener l : rotationListeners) {
            try {
                l.onRotation(e);
            } catch (RuntimeException x) {
                log.warn("A rotation listener failed on {}: {}", kind, x.toString());
            }
        }
    }

    private static KekProvider fromConfig(CryptoConfig c, ModuleContext context) {
        return switch (c.provider()) {
            case AZURE_KEY_VAULT -> new AzureKeyVaultKekProvider(c.keyVault());
            case PKCS11 -> KeyStoreKekProvider.pkcs11(c.pkcs11().library(), c.pkcs11().slotListIndex(),
                    c.pkcs11().pin().reveal().toCharArray());
            case LOCAL -> KeyStoreKekProvider.local(c.local().keystore() != null ? c.local().keystore()
                    : Path.of(System.getProperty("java.io.tmpdir"), "spaghetti-crypto-"
                            + context.config().service().name() + ".p12"), c.local().password().reveal().toCharArray());
        };
    }

    public FieldEncryptor fields() {
        return started(fields);
    }

    /** Envelope encryption of {@code plaintext} with the tenant and purpose as its field context. */
    @Override
    public String seal(String plaintext, String tenant, String purpose) {
        return fields().encryptString(plaintext, FieldContext.of(tenant, purpose));
    }

    @Override
    public String open(String sealed, String tenant, String purpose) {
        return fields().decryptString(sealed, FieldContext.of(tenant, purpose));
    }

    public DocumentSigner signer() {
        return started(signer);
    }

    /** @throws CryptoException when {@code crypto.tokenKey} is not set */
    public TokenProtector tokens() {
        started(fields);
        if (tokens == null) {
            throw new CryptoException(CryptoException.Reason.NOT_CONFIGURED, "API token protection needs "
                    + "crypto.tokenKey: set it to a reference to base64 of 32 random bytes (openssl rand -base64 32)");
        }
        return tokens;
    }

    public KeyManagement keys() {
        started(fields);
        return new KeyManagement() {
            @Override
            public String currentKekVersion() {
                return dataKeys.kekVersion();
            }

            @Override
            public String rotate() {
                String previous = dataKeys.kekVersion();
                String version;
                try {
                    version = ops.run("rotate", config.kekName(), null, () -> provider.rotate(config.kekName()));
                } catch (RuntimeException e) {
                    announce(RotationEvent.Kind.ROTATION_FAILED, previous, null, 0, e.getMessage());
                    throw e;
                }
                dataKeys.useKekVersion(version);
                announce(RotationEvent.Kind.KEK_ROTATED, previous, version, 0, null);
                return version;
            }

            @Override
            public String refresh() {
                String previous = dataKeys.kekVersion();
                String version = ops.run("get-version", config.kekName(), null,
                        () -> provider.currentVersion(config.kekName()));
                dataKeys.useKekVersion(version);
                signingVersion = ops.run("get-version", config.signingKeyName(), null,
                        () -> provider.currentVersion(config.signingKeyName()));
                if (!version.equals(previous)) {
                    announce(RotationEvent.Kind.KEK_VERSION_CHANGED, previous, version, 0, null);
                }
                return version;
            }

            @Override
            public void rewrapped(long values) {
                announce(RotationEvent.Kind.VALUES_REWRAPPED, null, dataKeys.kekVersion(), values, null);
            }

            @Override
            public void addRotationListener(RotationListener listener) {
                rotationListeners.add(listener);
            }
        };
    }

    private void refreshQuietly() {
        try {
            keys().refresh();
        } catch (RuntimeException e) {
            log.warn("Could not read the current KEK version ({}); new data keys keep using {}", e.getMessage(),
                    dataKeys.kekVersion());
        }
    }

    private <T> T started(T part) {
        if (part == null) {
            throw new IllegalStateException("The crypto module is not started (crypto.enabled: false, or its key "
                    + "provider was unreachable at start: see sdk.health())");
        }
        return part;
    }

    @Override
    public Health health() {
        if (provider == null) {
            return Health.down("not started");
        }
        Map<String, Object> details = Health.details("provider", provider.name(), "kek", config.kekName(), "kekVersion",
                dataKeys.kekVersion());
        return circuitBreaker.getState() == CircuitBreaker.State.OPEN
                ? Health.degraded("key service failing (circuit open); cached data keys still work").withDetails(details)
                : Health.up(details);
    }

    @Override
    public void close() {
        ScheduledFuture<?> r = refresh;
        if (r != null) {
            r.cancel(false);
        }
        RotationNotifier n = notifier;
        notifier = null;
        if (n != null) {
            rotationListeners.remove(n);
            n.close();
        }
        KekProvider p = provider;
        provider = null;
        fields = null;
        signer = null;
        tokens = null;
        if (p != null) {
            p.close();
        }
    }
}
