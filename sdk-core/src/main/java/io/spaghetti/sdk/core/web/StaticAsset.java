package io.spaghetti.sdk.core.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A file a service sends as it is, ready for a CDN in front (the caching strategy's L3): its content hash names it
 * ({@link #hashedPath()}, cached for a year as immutable, since a new version is a new name) and validates it
 * ({@link #etag()}, so a revalidation of an unhashed name such as the page itself is a 304).
 */
public final class StaticAsset {
    /** For hashed names: any cache may keep them for a year, never asking again. */
    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** For names that stay the same across versions (a page): cached, but revalidated before each use. */
    public static final String REVALIDATE = "no-cache";

    private final String path;
    private final String contentType;
    private final byte[] content;
    private final String hash;

    private StaticAsset(String path, String contentType, byte[] content) {
        this.path = path;
        this.contentType = contentType;
        this.content = content;
        this.hash = sha256(content);
    }

    /** @param path the name it is known by, e.g. {@code /collab/signalr.min.js} */
    public static StaticAsset of(String path, String contentType, byte[] content) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("an asset path starts with '/', e.g. /collab/app.js: " + path);
        }
        return new StaticAsset(path, contentType, content.clone());
    }

    public String path() {
        return path;
    }

    /** The name with the first 12 hex digits of the content's SHA-256 before the extension: {@code /a/b.min.3f2a9c1b7d0e.js}. */
    public String hashedPath() {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        String shortHash = hash.substring(0, 12);
        return dot > slash ? path.substring(0, dot) + "." + shortHash + path.substring(dot) : path + "." + shortHash;
    }

    /** A strong validator: the content's full SHA-256, quoted. */
    public String etag() {
        return "\"" + hash + "\"";
    }

    public String contentType() {
        return contentType;
    }

    public byte[] content() {
        return content.clone();
    }

    /** Whether a request's {@code If-None-Match} names this content ({@code *}, a list, weak or strong), so a 304. */
    public boolean notModifiedFor(String ifNoneMatch) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag()));
    }

    /** A copy with every occurrence of {@code other}'s path in this (text) asset replaced by its hashed path. */
    public StaticAsset linking(StaticAsset other) {
        String text = new String(content, StandardCharsets.UTF_8).replace("\"" + other.path() + "\"",
                "\"" + other.hashedPath() + "\"");
        return new StaticAsset(path, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
