package io.spaghetti.sdk.crypto;

/**
 * Signs documents with the signing key (RS256 or PS256) and verifies them locally with the
 * cached public key. Signatures are JWS with a detached payload (RFC 7515 appendix F):
 * {@code header..signature}, the header naming the algorithm and the key version ({@code kid}).
 */
public interface DocumentSigner {
    String sign(byte[] document);

    /** False when the signature does not match; {@link CryptoException} when it cannot be read or its key is unknown. */
    boolean verify(byte[] document, String signature);
}
