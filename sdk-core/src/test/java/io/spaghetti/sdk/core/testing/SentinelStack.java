package io.spaghetti.sdk.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The stack's sentinel set: find and SIGKILL the current master, then bring every stopped node back. */
public final class SentinelStack {
    private final List<String> sentinels = List.of(StackEnv.require("STACK_REDIS_SENTINEL_ADDRESSES").split(","));
    private final String masterName = StackEnv.require("STACK_REDIS_SENTINEL_MASTER");
    private final Path dir = Path.of(StackEnv.require("STACK_REDIS_SENTINEL_DIR"));

    public List<String> sentinels() {
        return sentinels;
    }

    public String masterName() {
        return masterName;
    }

    /** SIGKILL of the process sentinel currently names as master. */
    public void killMaster() throws IOException, InterruptedException {
        int port = masterPort();
        Path nodeDir = dir.resolve(port == 16390 ? "master" : "replica-" + port);
        long pid = Long.parseLong(Files.readString(nodeDir.resolve("redis.pid")).trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private int masterPort() throws IOException, InterruptedException {
        String[] hp = sentinels.get(0).split(":");
        Process p = new ProcessBuilder("redis-cli", "-h", hp[0], "-p", hp[1], "SENTINEL", "get-master-addr-by-name",
                masterName).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        p.waitFor();
        return Integer.parseInt(lines.get(1).trim());
    }

    /** Starts every data node that is not running; sentinel turns an old master into a replica. */
    public void restartStoppedNodes() throws IOException, InterruptedException {
        RedisNodes.startStopped(dir);
    }
}
