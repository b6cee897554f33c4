package io.spaghetti.sdk.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The stack's 6-node Redis Cluster: SIGKILL the master that serves a key, then bring every stopped node back. */
public final class ClusterStack {
    private final List<String> addresses = List.of(StackEnv.require("STACK_REDIS_CLUSTER_ADDRESSES").split(","));
    private final Path dir = Path.of(StackEnv.require("STACK_REDIS_CLUSTER_DIR"));

    public List<String> addresses() {
        return addresses;
    }

    /** SIGKILL of the master serving {@code key}'s slot; its replica takes over after cluster-node-timeout. */
    public void killMasterOf(String key) throws IOException, InterruptedException {
        String[] hp = addresses.get(0).split(":");
        int slot = Integer.parseInt(cli(hp, "CLUSTER", "KEYSLOT", key).get(0).trim());
        for (String line : cli(hp, "CLUSTER", "NODES")) {
            String[] f = line.split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                    long pid = Long.parseLong(Files.readString(dir.resolve(Integer.toString(port)).resolve("redis.pid"))
                            .trim());
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    return;
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** Starts every node that is not running; a killed master comes back as a replica. */
    public void restartStoppedNodes() throws IOException, InterruptedException {
        for (Path node : RedisNodes.startStopped(dir)) {
            awaitClusterOk(node.getFileName().toString());
        }
    }

    /** Until the node (back as a replica) reports the cluster healthy again: the next test finds it whole. */
    private static void awaitClusterOk(String port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (cli(new String[] {"127.0.0.1", port}, "CLUSTER", "INFO").stream()
                    .anyMatch(l -> l.trim().equals("cluster_state:ok"))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("cluster node " + port + " did not report cluster_state:ok within 30 s");
    }

    private static List<String> cli(String[] hp, String... command) throws IOException, InterruptedException {
        String[] args = new String[command.length + 5];
        args[0] = "redis-cli";
        args[1] = "-h";
        args[2] = hp[0];
        args[3] = "-p";
        args[4] = hp[1];
        System.arraycopy(command, 0, args, 5, command.length);
        Process p = new ProcessBuilder(args).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        p.waitFor();
        return lines;
    }
}
