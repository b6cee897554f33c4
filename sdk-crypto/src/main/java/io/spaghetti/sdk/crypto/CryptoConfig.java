package io.spaghetti.sdk.crypto;

import io.spaghetti.sdk.core.config.ConfigProblems;
import io.spaghetti.sdk.core.config.ConfigSection;
import io.spaghetti.sdk.core.config.ModuleSection;
import io.spaghetti.sdk.core.config.Secret;
import io.spaghetti.sdk.core.config.Validated;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Section {@code crypto}; defaults in {@code META-INF/spaghetti-sdk/defaults/crypto.yaml}.
 *
 * @param provider           where the key-encryption key (KEK) lives
 * @param kekName            the KEK's name (Key Vault key name, or alias prefix in a key store)
 * @param signingKeyName     the RSA key documents are signed with
 * @param signatureAlgorithm PS256 or RS256
 * @param kekRefresh         how often the KEK's current version is read again (a rotation in the vault is picked up within this)
 * @param tokenKey           base64 of 32 random bytes for API token protection; null: token protection off
 * @param notices            the team chat's webhooks told of rotations
 */
public record CryptoConfig(boolean enabled, boolean required, Provider provider, String kekName, String signingKeyName,
        SignatureAlgorithm signatureAlgorithm, DataKeys dataKeys, Duration kekRefresh, Secret tokenKey,
        KeyVault keyVault, Pkcs11 pkcs11, Local local, Notices notices) implements ModuleSection, Validated {

    public static final ConfigSection<CryptoConfig> SECTION = ConfigSection.of("crypto", CryptoConfig.class);

    public enum Provider { LOCAL, AZURE_KEY_VAULT, PKCS11 }

    /**
     * Incoming webhooks of the team's chat, told of every KEK rotation, version change, rewrap and failure.
     *
     * @param slack   a Slack incoming-webhook URL (a reference, e.g. env:SLACK_ROTATION_WEBHOOK); null: none
     * @param teams   a Microsoft Teams incoming-webhook URL (a reference); null: none
     * @param timeout time limit of one post (retried by the {@code rotation-webhook} policy)
     */
    public record Notices(Secret slack, Secret teams, Duration timeout) {
    }

    public enum SignatureAlgorithm { PS256, RS256 }

    /**
     * @param maxMessages how many values one data key encrypts before a new one is made
     * @param maxAge      how long one data key encrypts before a new one is made
     * @param cacheSize   unwrapped data keys kept for decryption
     * @param cacheTtl    how long an unwrapped data key stays cached after its last use
     */
    public record DataKeys(long maxMessages, Duration maxAge, int cacheSize, Duration cacheTtl) {
    }

    /**
     * @param url                      e.g. {@code https://my-vault.vault.azure.net}
     * @param clientId                 a user-assigned managed identity's client id; null: DefaultAzureCredential's default
     * @param caFile                   extra CA (PEM) to trust, for a private endpoint or a test vault; null: the JVM's
     * @param verifyChallengeResource  false only for a vault not under *.vault.azure.net (a test server on localhost)
     * @param keySize                  RSA-HSM size for keys the SDK creates: 2048 or 3072
     * @param createMissingKeys        create the KEK and signing key when absent (needs the create permission)
     * @param rotateAfter              rotation policy applied at bootstrap: rotate this long after creation; null: leave the policy alone
     * @param notifyBeforeExpiry       rotation policy: notify this long before expiry
     * @param expiresAfter             rotation policy: key versions expire this long after creation
     * @param timeout                  limit of one vault call
     */
    public record KeyVault(String url, String clientId, Path caFile, boolean verifyChallengeResource, int keySize,
            boolean createMissingKeys, Duration rotateAfter, Duration notifyBeforeExpiry, Duration expiresAfter,
            Duration timeout) {
    }

    /** SunPKCS11 with {@code library} (e.g. libsofthsm2.so), the token at {@code slotListIndex}, logged in with {@code pin}. */
    public record Pkcs11(Path library, int slotListIndex, Secret pin) {
    }

    /** A PKCS#12 key store for development; created when missing. Null keystore: {@code <tmp>/spaghetti-crypto-<service>.p12}. */
    public record Local(Path keystore, Secret password) {
    }

    @Override
    public void validate(ConfigProblems problems, String path) {
        if (!enabled) {
            return;
        }
        problems.require(kekName != null && kekName.matches("[A-Za-z0-9-]{1,127}"), path + ".kekName", kekName,
                "is not a key name", "use 1 to 127 letters, digits and '-', e.g. orders-kek");
        problems.require(signingKeyName != null && signingKeyName.matches("[A-Za-z0-9-]{1,127}"),
                path + ".signingKeyName", signingKeyName, "is not a key name", "use letters, digits and '-'");
        problems.require(dataKeys.maxMessages() >= 1 && dataKeys.maxMessages() <= (1L << 32),
                path + ".dataKeys.maxMessages", dataKeys.maxMessages(), "is out of range",
                "use 1 to 4294967296 (2^32 messages per data key is the AES-GCM bound)");
        problems.require(positive(dataKeys.maxAge()), path + ".dataKeys.maxAge", dataKeys.maxAge(), "must be positive",
                "use e.g. 1h");
        problems.require(dataKeys.cacheSize() >= 1, path + ".dataKeys.cacheSize", dataKeys.cacheSize(),
                "must be at least 1", "use e.g. 10000");
        problems.require(positive(kekRefresh), path + ".kekRefresh", kekRefresh, "must be positive", "use e.g. 5m");
        if (tokenKey != null && tokenKey.unresolvableReason() != null) {
            problems.add(path + ".tokenKey", tokenKey, tokenKey.unresolvableReason(),
                    "set it to base64 of 32 random bytes (openssl rand -base64 32), or remove crypto.tokenKey");
        } else if (tokenKey != null && !isAes256Key(tokenKey)) {
            problems.add(path + ".tokenKey", tokenKey, "is not base64 of 32 bytes (an AES-256 key)",
                    "set it to the output of openssl rand -base64 32");
        }
        switch (provider) {
            case AZURE_KEY_VAULT -> {
                problems.require(keyVault.url() != null && keyVault.url().startsWith("https://"), path + ".keyVault.url",
                        keyVault.url(), "is not an https URL", "use the vault URI, e.g. https://my-vault.vault.azure.net");
                problems.require(keyVault.keySize() == 2048 || keyVault.keySize() == 3072, path + ".keyVault.keySize",
                        keyVault.keySize(), "is not supported", "use 2048 or 3072");
                problems.require(keyVault.caFile() == null || Files.isReadable(keyVault.caFile()),
                        path + ".keyVault.caFile", keyVault.caFile(), "cannot be read", "point it at a PEM certificate");
                problems.require(positive(keyVault.timeout()), path + ".keyVault.timeout", keyVault.timeout(),
                        "must be positive", "use e.g. 5s");
            }
            case PKCS11 -> {
                problems.require(pkcs11.library() != null && Files.isReadable(pkcs11.library()), path + ".pkcs11.library",
                        pkcs11.library(), "cannot be read", "point it at the token's PKCS#11 library, e.g. "
                                + "/usr/lib/softhsm/libsofthsm2.so");
                problems.require(pkcs11.pin() != null, path + ".pkcs11.pin", null, "is missing",
                        "set it to the token's user PIN reference, e.g. env:HSM_PIN");
            }
            case LOCAL -> problems.require(local.password() != null, path + ".local.password", null, "is missing",
                    "set it to a reference, e.g. env:LOCAL_KEYSTORE_PASSWORD");
        }
    }

    private static boolean isAes256Key(Secret key) {
        try {
            return java.util.Base64.getDecoder().decode(key.reveal().trim()).length == 32;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }
}
