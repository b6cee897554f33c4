package io.spaghetti.sdk.signalr;

/** A hub server in its own JVM, for tests that SIGKILL it: prints {@code READY <url>}, then serves until killed. */
public final class HubServerChild {
    private HubServerChild() {
    }

    public static void main(String[] args) throws Exception {
        HubServers.Server server = new HubServers(args[0]).start(true);
        System.out.println("READY " + server.url());
        System.out.flush();
        Thread.currentThread().join();
    }
}
