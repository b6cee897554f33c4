package io.spaghetti.sdk.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The stack's Redis data nodes as directories with a {@code redis.conf} and a {@code redis.pid}. */
final class RedisNodes {
    private RedisNodes() {
    }

    /** Starts every node under {@code dir} that is not running; returns the directories of those started. */
    static List<Path> startStopped(Path dir) throws IOException, InterruptedException {
        List<Path> started = new ArrayList<>();
        try (var dirs = Files.list(dir)) {
            for (Path node : dirs.filter(d -> Files.exists(d.resolve("redis.conf"))).toList()) {
                Path pidFile = node.resolve("redis.pid");
                boolean alive = Files.exists(pidFile) && ProcessHandle.of(Long.parseLong(Files.readString(pidFile)
                        .trim())).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    new ProcessBuilder("redis-server", node.resolve("redis.conf").toString()).inheritIO().start()
                            .waitFor();
                    started.add(node);
                }
            }
        }
        return started;
    }
}
