package io.spaghetti.sdk.crypto.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spaghetti.sdk.core.json.SdkJson;
import io.spaghetti.sdk.crypto.CryptoConfig.SignatureAlgorithm;
import io.spaghetti.sdk.crypto.CryptoException;
import io.spaghetti.sdk.crypto.DocumentSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.regex.Pattern;
import java.util.function.Supplier;

/** JWS (detached payload) signatures by the provider's signing key; verification is local. */
public final class JwsDocumentSigner implements DocumentSigner {
    private static final ObjectMapper JSON = SdkJson.mapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
    /** Key versions as Key Vault, PKCS#11 and the local store name them. */
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final KeyOperations ops;
    private final String keyName;
    private final SignatureAlgorithm algorithm;
    private final Supplier<String> currentVersion;
    /** Public keys by version of the one signing key; bounded, as versions come from the tokens verified. */
    private final Cache<String, PublicKey> publicKeys = Caffeine.newBuilder().maximumSize(32).build();

    public JwsDocumentSigner(KeyOperations ops, String keyName, SignatureAlgorithm algorithm,
            Supplier<String> currentVersion) {
        this.ops = ops;
        this.keyName = keyName;
        this.algorithm = algorithm;
        this.currentVersion = currentVersion;
    }

    @Override
    public String sign(byte[] document) {
        String version = currentVersion.get();
        String header = B64.encodeToString(("{\"alg\":\"" + algorithm + "\",\"kid\":\"" + keyName + "/" + version + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        byte[] input = (header + "." + B64.encodeToString(document)).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = ops.run("sign", keyName, version,
                () -> ops.provider().sign(keyName, version, algorithm, input));
        return header + ".." + B64.encodeToString(signature);
    }

    @Override
    public boolean verify(byte[] document, String jws) {
        String[] parts = jws == null ? new String[0] : jws.split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty()) {
            throw malformed("it is not header..signature (a JWS with a detached payload)");
        }
        JsonNode header;
        byte[] signature;
        try {
            header = JSON.readTree(B64_DECODER.decode(parts[0]));
            signature = B64_DECODER.decode(parts[2]);
        } catch (IOException | IllegalArgumentException e) {
            throw malformed("its header or signature is not base64url JSON");
        }
        String alg = header.path("alg").asText();
        String kid = header.path("kid").asText();
        // Only the configured key and algorithm: a kid naming any other key in the vault must not verify,
        // and must not cost a vault call.
        if (!alg.equals(algorithm.name())) {
            throw malformed("it is signed with alg " + printable(alg) + " but this service verifies " + algorithm
                    + " only (crypto.signatureAlgorithm)");
        }
        if (!kid.startsWith(keyName + "/") || !VERSION.matcher(kid.substring(keyName.length() + 1)).matches()) {
            throw malformed("its kid " + printable(kid) + " is not a version of the signing key " + keyName
                    + " (crypto.signingKeyName)");
        }
        String version = kid.substring(keyName.length() + 1);
        PublicKey key = publicKeys.get(version, v -> ops.run("get-public-key", keyName, v,
                () -> ops.provider().publicKey(keyName, v)));
        try {
            Signature verifier = verifier(algorithm);
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + B64.encodeToString(document)).getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The JCA verifier for an algorithm (also used by local providers to sign). */
    static Signature verifier(SignatureAlgorithm alg) throws GeneralSecurityException {
        return verifier(alg, null);
    }

    static Signature verifier(SignatureAlgorithm alg, java.security.Provider provider) throws GeneralSecurityException {
        if (alg == SignatureAlgorithm.RS256) {
            return provider == null ? Signature.getInstance("SHA256withRSA") : Signature.getInstance("SHA256withRSA", provider);
        }
        Signature s = provider == null ? Signature.getInstance("RSASSA-PSS") : Signature.getInstance("RSASSA-PSS", provider);
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        return s;
    }

    private static String printable(String untrusted) {
        String cut = untrusted.length() > 80 ? untrusted.substring(0, 80) + "..." : untrusted;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    private static CryptoException malformed(String why) {
        return new CryptoException(CryptoException.Reason.MALFORMED, "Not a signature of this SDK: " + why);
    }
}
