package io.spaghetti.sdk.core.assets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * The infrastructure assets every SDK module on the classpath bundles (dashboards, alert rules,
 * Alertmanager and scrape config, Elasticsearch and Redis config, compose files, Kubernetes manifests,
 * Bicep). Each module lists its own in {@code META-INF/spaghetti-sdk/assets/<module>.list}, one
 * classpath path per line.
 */
public final class Assets {
    static final String INDEX_DIR = "META-INF/spaghetti-sdk/assets/";
    private static final List<String> MODULES = List.of("core", "search", "backplane", "crypto", "flags");

    private Assets() {
    }

    /** Every asset path, sorted. */
    public static List<String> list() {
        TreeSet<String> paths = new TreeSet<>();
        ClassLoader loader = loader();
        for (String module : MODULES) {
            try {
                for (URL index : Collections.list(loader.getResources(INDEX_DIR + module + ".list"))) {
                    try (InputStream in = index.openStream()) {
                        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                            String path = line.strip();
                            if (!path.isEmpty() && !path.startsWith("#")) {
                                paths.add(path);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the asset index of module " + module, e);
            }
        }
        return List.copyOf(paths);
    }

    /** The asset paths under {@code prefix} ending with {@code suffix}, e.g. ("monitoring/grafana/", ".json"). */
    public static List<String> list(String prefix, String suffix) {
        return list().stream().filter(p -> p.startsWith(prefix) && p.endsWith(suffix)).toList();
    }

    public static byte[] read(String path) {
        try (InputStream in = loader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("asset " + path + " is listed but not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read asset " + path, e);
        }
    }

    public static String readString(String path) {
        return new String(read(path), StandardCharsets.UTF_8);
    }

    /** Writes every asset under {@code dir}, keeping its path; returns the files written. */
    public static List<Path> export(Path dir) {
        List<Path> written = new ArrayList<>();
        for (String path : list()) {
            Path target = dir.resolve(path).normalize();
            if (!target.startsWith(dir.normalize())) {
                throw new IllegalStateException("asset path escapes the export directory: " + path);
            }
            try {
                Files.createDirectories(target.getParent());
                Files.write(target, read(path));
                if (path.endsWith(".sh")) {
                    target.toFile().setExecutable(true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target, e);
            }
            written.add(target);
        }
        return written;
    }

    private static ClassLoader loader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : Assets.class.getClassLoader();
    }
}
