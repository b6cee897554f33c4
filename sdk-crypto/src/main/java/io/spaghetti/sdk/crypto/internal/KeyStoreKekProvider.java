package io.spaghetti.sdk.crypto.internal;

import java.util.Locale;
import io.spaghetti.sdk.crypto.CryptoConfig.SignatureAlgorithm;
import io.spaghetti.sdk.crypto.CryptoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * KEKs as AES-256 keys in a JCA key store, wrapping data keys with AES-GCM inside it: a PKCS#11
 * token (SunPKCS11; the key never leaves the HSM) or a local PKCS#12 file for development.
 * Versions are aliases {@code <name>.v<N>}; signing keys are RSA entries with a certificate.
 */
public final class KeyStoreKekProvider implements KekProvider {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final byte formatId;
    private final KeyStore store;
    private final Provider jca;
    private final char[] entryPassword;
    private final Path file;
    private final char[] filePassword;
    /** Reading a PKCS#12 entry decrypts it each time; versions never change once made. */
    private final java.util.Map<String, SecretKey> aesKeys = new java.util.concurrent.ConcurrentHashMap<>();

    private KeyStoreKekProvider(String name, byte formatId, KeyStore store, Provider jca, char[] entryPassword,
            Path file, char[] filePassword) {
        this.name = name;
        this.formatId = formatId;
        this.store = store;
        this.jca = jca;
        this.entryPassword = entryPassword;
        this.file = file;
        this.filePassword = filePassword;
    }

    /** A PKCS#12 file, created when missing. */
    public static KeyStoreKekProvider local(Path file, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    ks.load(in, password);
                }
            } else {
                ks.load(null, password);
            }
            return new KeyStoreKekProvider("local", Envelope.PROVIDER_LOCAL, ks, null, password, file, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "Cannot open the local key store " + file
                    + ": " + e.getMessage() + " (wrong crypto.local.password, or not a PKCS#12 file)", e);
        }
    }

    /** A PKCS#11 token through SunPKCS11, logged in with {@code pin}. */
    public static KeyStoreKekProvider pkcs11(Path library, int slotListIndex, char[] pin) {
        try {
            String config = "--name=spaghetti\nlibrary=" + library + "\nslotListIndex=" + slotListIndex + "\n";
            Provider p = java.security.Security.getProvider("SunPKCS11").configure(config);
            KeyStore ks = KeyStore.getInstance("PKCS11", p);
            ks.load(null, pin);
            return new KeyStoreKekProvider("pkcs11", Envelope.PROVIDER_PKCS11, ks, p, null, null, null);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "Cannot log in to the PKCS#11 token "
                    + "(library " + library + ", slot index " + slotListIndex + "): " + e.getMessage()
                    + ". Check crypto.pkcs11.library, slotListIndex and pin.", e);
        }
    }

    @Override
    public byte formatId() {
        return formatId;
    }

    @Override
    public String name() {
        return name;
    }

    /** A PKCS#12 file is in-process; a PKCS#11 token is a device behind a driver. */
    @Override
    public boolean remote() {
        return file == null;
    }

    @Override
    public synchronized void ensureKey(String keyName, boolean signing) {
        if (!versions(keyName).isEmpty()) {
            return;
        }
        if (!signing) {
            createAesVersion(keyName, 1);
        } else if (file != null) {
            createRsaWithKeytool(keyName + ".v1");
        } else {
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "The token has no signing key '"
                    + keyName + ".v1': create an RSA key with a certificate in it, e.g. keytool -genkeypair -alias "
                    + keyName + ".v1 -keyalg RSA -keysize 3072 -storetype PKCS11 -keystore NONE -providerClass "
                    + "sun.security.pkcs11.SunPKCS11 -providerArg <config>");
        }
    }

    @Override
    public synchronized String currentVersion(String keyName) {
        List<Integer> v = versions(keyName);
        if (v.isEmpty()) {
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "No key '" + keyName + "' in the "
                    + name + " key store: create it (crypto bootstrap does for the local store)");
        }
        return "v" + v.get(v.size() - 1);
    }

    @Override
    public byte[] wrap(String kekName, String version, byte[] dataKey) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = cipher();
            c.init(Cipher.ENCRYPT_MODE, aesKey(kekName, version), new GCMParameterSpec(128, nonce));
            c.updateAAD(wrapAad(kekName, version));
            byte[] ct = c.doFinal(dataKey);
            byte[] out = new byte[12 + ct.length];
            System.arraycopy(nonce, 0, out, 0, 12);
            System.arraycopy(ct, 0, out, 12, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "Cannot wrap a data key with '" + kekName
                    + "' " + version + " in the " + name + " store: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] unwrap(String kekName, String version, byte[] wrapped) {
        try {
            Cipher c = cipher();
            c.init(Cipher.DECRYPT_MODE, aesKey(kekName, version), new GCMParameterSpec(128, wrapped, 0, 12));
            c.updateAAD(wrapAad(kekName, version));
            return c.doFinal(wrapped, 12, wrapped.length - 12);
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof CryptoException ce) {
                throw ce;
            }
            throw new CryptoException(CryptoException.Reason.AUTHENTICATION_FAILED, "Cannot unwrap the value's data "
                    + "key with '" + kekName + "' " + version + ": the value was altered or names another key", e);
        }
    }

    @Override
    public synchronized String rotate(String keyName) {
        List<Integer> v = versions(keyName);
        int next = v.isEmpty() ? 1 : v.get(v.size() - 1) + 1;
        createAesVersion(keyName, next);
        return "v" + next;
    }

    @Override
    public byte[] sign(String keyName, String version, SignatureAlgorithm algorithm, byte[] signingInput) {
        try {
            Key key = store.getKey(keyName + "." + version, entryPassword);
            if (!(key instanceof PrivateKey privateKey)) {
                throw missing(keyName, version);
            }
            Signature s = JwsDocumentSigner.verifier(algorithm, jca);
            s.initSign(privateKey);
            s.update(signingInput);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "Cannot sign with '" + keyName + "' "
                    + version + ": " + e.getMessage(), e);
        }
    }

    @Override
    public PublicKey publicKey(String keyName, String version) {
        try {
            var cert = store.getCertificate(keyName + "." + version);
            if (cert == null) {
                throw missing(keyName, version);
            }
            return cert.getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, e.getMessage(), e);
        }
    }

    @Override
    public CryptoException translate(Throwable failure, String operation, String keyName) {
        return new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "Cannot " + operation + " with '" + keyName
                + "' in the " + name + " key store: " + failure.getMessage(), failure);
    }

    @Override
    public void close() {
        // the store holds no connection; SunPKCS11 sessions end with the JVM
    }

    private List<Integer> versions(String keyName) {
        try {
            List<Integer> out = new ArrayList<>();
            String prefix = (keyName + ".v").toLowerCase(Locale.ROOT);
            for (String alias : Collections.list(store.aliases())) {
                if (alias.toLowerCase(Locale.ROOT).startsWith(prefix) && alias.substring(prefix.length()).matches("\\d+")) {
                    out.add(Integer.parseInt(alias.substring(prefix.length())));
                }
            }
            Collections.sort(out);
            return out;
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, e.getMessage(), e);
        }
    }

    private SecretKey aesKey(String kekName, String version) throws GeneralSecurityException {
        String alias = kekName + "." + version;
        SecretKey cached = aesKeys.get(alias);
        if (cached != null) {
            return cached;
        }
        Key key = store.getKey(alias, entryPassword);
        if (!(key instanceof SecretKey secret)) {
            throw missing(kekName, version);
        }
        aesKeys.put(alias, secret);
        return secret;
    }

    private void createAesVersion(String keyName, int version) {
        try {
            KeyGenerator g = jca == null ? KeyGenerator.getInstance("AES") : KeyGenerator.getInstance("AES", jca);
            g.init(256);
            store.setEntry(keyName + ".v" + version, new KeyStore.SecretKeyEntry(g.generateKey()),
                    entryPassword == null ? null : new KeyStore.PasswordProtection(entryPassword));
            persist();
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "Cannot create key '" + keyName + "' v"
                    + version + " in the " + name + " store: " + e.getMessage(), e);
        }
    }

    /** The JDK has no public API to issue a certificate; keytool does it for the development key store. */
    private void createRsaWithKeytool(String alias) {
        persist();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "3072", "-dname", "CN=" + alias,
                "-validity", "3650", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass:env", "SPAGHETTI_KEYTOOL_PASSWORD");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("SPAGHETTI_KEYTOOL_PASSWORD", new String(filePassword));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("keytool failed: " + out);
            }
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, filePassword);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "Cannot create the signing key " + alias
                    + " in " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "interrupted", e);
        }
    }

    private void persist() {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".keystore", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                store.store(out, filePassword);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | GeneralSecurityException e) {
            throw new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "Cannot write the local key store "
                    + file + ": " + e.getMessage(), e);
        }
    }

    private Cipher cipher() throws GeneralSecurityException {
        return jca == null ? Cipher.getInstance("AES/GCM/NoPadding") : Cipher.getInstance("AES/GCM/NoPadding", jca);
    }

    private static byte[] wrapAad(String kekName, String version) {
        return ("spaghetti-dek|" + kekName + "|" + version).getBytes(StandardCharsets.UTF_8);
    }

    private CryptoException missing(String keyName, String version) {
        return new CryptoException(CryptoException.Reason.KEY_UNAVAILABLE, "No key '" + keyName + "' " + version
                + " in the " + name + " key store");
    }
}
