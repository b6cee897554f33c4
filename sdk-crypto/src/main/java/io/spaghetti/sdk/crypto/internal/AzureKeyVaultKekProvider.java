package io.spaghetti.sdk.crypto.internal;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.CredentialUnavailableException;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.models.CreateRsaKeyOptions;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.azure.security.keyvault.keys.models.KeyRotationLifetimeAction;
import com.azure.security.keyvault.keys.models.KeyRotationPolicy;
import com.azure.security.keyvault.keys.models.KeyRotationPolicyAction;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.spaghetti.sdk.crypto.CryptoConfig;
import io.spaghetti.sdk.crypto.CryptoConfig.SignatureAlgorithm;
import io.spaghetti.sdk.crypto.CryptoException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * KEKs and signing keys in Azure Key Vault (RSA-HSM), through azure-security-keyvault-keys with
 * DefaultAzureCredential (managed identity in Azure; a user-assigned one by client id). Data keys
 * are wrapped with RSA-OAEP-256, which Key Vault always performs in the service. The Azure
 * pipeline's own retry is off: the SDK's Resilience4j policy retries, honouring Retry-After.
 */
public final class AzureKeyVaultKekProvider implements KekProvider {
    private final CryptoConfig.KeyVault config;
    private final TokenCredential credential;
    private final HttpClient http;
    private final KeyClient keys;
    private final Map<String, CryptographyClient> cryptoClients = new ConcurrentHashMap<>();

    public AzureKeyVaultKekProvider(CryptoConfig.KeyVault config) {
        this(config, config.clientId() == null ? new DefaultAzureCredentialBuilder().build()
                : new DefaultAzureCredentialBuilder().managedIdentityClientId(config.clientId()).build());
    }

    /** With a given credential (a test vault's static token, a workload identity built by the caller). */
    public AzureKeyVaultKekProvider(CryptoConfig.KeyVault config, TokenCredential credential) {
        this.config = config;
        this.credential = credential;
        this.http = httpClient(config);
        KeyClientBuilder b = new KeyClientBuilder().vaultUrl(config.url()).credential(credential).httpClient(http)
                .retryOptions(noRetry());
        if (!config.verifyChallengeResource()) {
            b.disableChallengeResourceVerification();
        }
        this.keys = b.buildClient();
    }

    private static HttpClient httpClient(CryptoConfig.KeyVault config) {
        reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create();
        if (config.caFile() != null) {
            try {
                SslContext ssl = SslContextBuilder.forClient().trustManager(config.caFile().toFile()).build();
                netty = netty.secure(spec -> spec.sslContext(ssl));
            } catch (SSLException e) {
                throw new CryptoException(CryptoException.Reason.NOT_CONFIGURED, "crypto.keyVault.caFile "
                        + config.caFile() + " is not a PEM certificate: " + e.getMessage(), e);
            }
        }
        return new NettyAsyncHttpClientBuilder(netty).responseTimeout(config.timeout())
                .readTimeout(config.timeout()).build();
    }

    private static RetryOptions noRetry() {
        return new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1)));
    }

    @Override
    public byte formatId() {
        return Envelope.PROVIDER_AZURE_KEY_VAULT;
    }

    @Override
    public String name() {
        return "azure-key-vault";
    }

    @Override
    public void ensureKey(String keyName, boolean signing) {
        try {
            keys.getKey(keyName);
        } catch (ResourceNotFoundException missing) {
            if (!config.createMissingKeys()) {
                throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "Key Vault " + config.url()
                        + " has no key '" + keyName + "': create it (scripts/create-keys.sh, key-vault.bicep) or "
                        + "set crypto.keyVault.createMissingKeys: true where the identity may create keys");
            }
            keys.createRsaKey(new CreateRsaKeyOptions(keyName).setHardwareProtected(true).setKeySize(config.keySize())
                    .setKeyOperations(signing ? new KeyOperation[] {KeyOperation.SIGN, KeyOperation.VERIFY}
                            : new KeyOperation[] {KeyOperation.WRAP_KEY, KeyOperation.UNWRAP_KEY}));
        }
    }

    @Override
    public String currentVersion(String keyName) {
        return keys.getKey(keyName).getProperties().getVersion();
    }

    @Override
    public byte[] wrap(String kekName, String version, byte[] dataKey) {
        return crypto(kekName, version).wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, dataKey).getEncryptedKey();
    }

    @Override
    public byte[] unwrap(String kekName, String version, byte[] wrapped) {
        return crypto(kekName, version).unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped).getKey();
    }

    @Override
    public String rotate(String keyName) {
        return keys.rotateKey(keyName).getProperties().getVersion();
    }

    @Override
    public byte[] sign(String keyName, String version, SignatureAlgorithm algorithm, byte[] signingInput) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(signingInput);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        var alg = algorithm == SignatureAlgorithm.PS256
                ? com.azure.security.keyvault.keys.cryptography.models.SignatureAlgorithm.PS256
                : com.azure.security.keyvault.keys.cryptography.models.SignatureAlgorithm.RS256;
        return crypto(keyName, version).sign(alg, digest).getSignature();
    }

    @Override
    public PublicKey publicKey(String keyName, String version) {
        return keys.getKey(keyName, version).getKey().toRsa(false).getPublic();
    }

    @Override
    public void applyRotationPolicy(String keyName) {
        if (config.rotateAfter() == null) {
            return;
        }
        List<KeyRotationLifetimeAction> actions = new ArrayList<>();
        actions.add(new KeyRotationLifetimeAction(KeyRotationPolicyAction.ROTATE)
                .setTimeAfterCreate(isoDays(config.rotateAfter())));
        if (config.notifyBeforeExpiry() != null) {
            actions.add(new KeyRotationLifetimeAction(KeyRotationPolicyAction.NOTIFY)
                    .setTimeBeforeExpiry(isoDays(config.notifyBeforeExpiry())));
        }
        KeyRotationPolicy policy = new KeyRotationPolicy().setLifetimeActions(actions);
        if (config.expiresAfter() != null) {
            policy.setExpiresIn(isoDays(config.expiresAfter()));
        }
        keys.updateKeyRotationPolicy(keyName, policy);
    }

    private static String isoDays(Duration d) {
        return "P" + Math.max(1, d.toDays()) + "D";
    }

    @Override
    public boolean isTransient(Throwable failure) {
        HttpResponseException http = find(failure, HttpResponseException.class);
        if (http != null && http.getResponse() != null) {
            int status = http.getResponse().getStatusCode();
            return status == 429 || status >= 500;
        }
        return find(failure, CredentialUnavailableException.class) == null;
    }

    @Override
    public boolean isOutage(Throwable failure) {
        HttpResponseException http = find(failure, HttpResponseException.class);
        return isTransient(failure) && (http == null || http.getResponse() == null
                || http.getResponse().getStatusCode() != 429);
    }

    @Override
    public Duration retryAfter(Throwable failure) {
        HttpResponseException http = find(failure, HttpResponseException.class);
        if (http == null || http.getResponse() == null) {
            return null;
        }
        String value = http.getResponse().getHeaders().getValue(HttpHeaderName.RETRY_AFTER);
        try {
            return value == null ? null : Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException httpDate) {
            return null;
        }
    }

    @Override
    public CryptoException translate(Throwable failure, String operation, String keyName) {
        String where = "Key Vault " + config.url() + ": cannot " + operation + " with key '" + keyName + "'";
        HttpResponseException http = find(failure, HttpResponseException.class);
        if (http != null && http.getResponse() != null) {
            int status = http.getResponse().getStatusCode();
            String body = String.valueOf(http.getValue());
            if (status == 403 && body.contains("KeyDisabled")) {
                return new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, where + ": that key version is "
                        + "disabled. Rewrap values still under it before disabling it, or enable it again.", failure);
            }
            if (status == 401 || status == 403) {
                return new CryptoException(CryptoException.Reason.VAULT_AUTH_FAILED, where + ": the vault refused the "
                        + "identity (HTTP " + status + "). Grant it the 'Key Vault Crypto User' role on the vault, or "
                        + "check crypto.keyVault.clientId.", failure);
            }
            if (status == 404) {
                return new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, where + ": no such key or version",
                        failure);
            }
            if (status == 400 && operation.equals("unwrap")) {
                return new CryptoException(CryptoException.Reason.AUTHENTICATION_FAILED, "Cannot decrypt: Key Vault "
                        + "could not unwrap the value's data key with '" + keyName + "'; the value was altered", failure);
            }
            if (status == 429 || status >= 500) {
                return new CryptoException(CryptoException.Reason.VAULT_UNAVAILABLE, where + ": HTTP " + status
                        + " after retries. Values whose data key is cached still encrypt and decrypt.", failure);
            }
            return new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, where + ": HTTP " + status, failure);
        }
        if (find(failure, CredentialUnavailableException.class) != null) {
            return new CryptoException(CryptoException.Reason.VAULT_AUTH_FAILED, where + ": no Azure credential is "
                    + "available (managed identity, workload identity or environment). Run in Azure with an identity, "
                    + "or set AZURE_CLIENT_ID / IDENTITY_ENDPOINT.", failure);
        }
        return new CryptoException(CryptoException.Reason.VAULT_UNAVAILABLE, where + ": the vault is unreachable ("
                + failure.getClass().getSimpleName() + "). Values whose data key is cached still encrypt and decrypt.",
                failure);
    }

    private CryptographyClient crypto(String keyName, String version) {
        String kid = config.url() + "/keys/" + keyName + "/" + version;
        return cryptoClients.computeIfAbsent(kid, k -> {
            // no key caching: with RSA-OAEP-256 every operation runs in the vault anyway, and a failed
            // key fetch would be swallowed by the client instead of reaching the SDK's policy
            CryptographyClientBuilder b = new CryptographyClientBuilder().keyIdentifier(k).credential(credential)
                    .httpClient(http).retryOptions(noRetry()).disableKeyCaching();
            if (!config.verifyChallengeResource()) {
                b.disableChallengeResourceVerification();
            }
            return b.buildClient();
        });
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    @Override
    public void close() {
        cryptoClients.clear();
    }
}
