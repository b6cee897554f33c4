package io.spaghetti.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.signalr.Authenticator;
import io.spaghetti.sdk.signalr.Hub;
import io.spaghetti.sdk.signalr.HubCaller;
import io.spaghetti.sdk.signalr.SignalRModule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One sdk-signalr server for the hub scale benchmark ({@code scripts/bench.sh hubs}): the example's
 * document-collaboration contract, configured from the environment (Redis from the stack), on
 * {@code SPAGHETTI_SIGNALR_PORT}. Prints {@code READY port} when it serves.
 */
public final class HubScaleServer {
    private HubScaleServer() {
    }

    /** The contract of the example's DocumentHub, without its presence lookup (Socket.IO's peer returns a count). */
    public static final class DocumentHub implements Hub {
        private final Map<String, AtomicLong> revisions = new ConcurrentHashMap<>();

        public int joinDocument(HubCaller caller, String documentId) {
            caller.joinGroup("document:" + documentId).join();
            return 1;
        }

        public void sendChange(HubCaller caller, String documentId, JsonNode change) {
            ObjectNode stamped = ((ObjectNode) change).deepCopy();
            stamped.put("revision", revisions.computeIfAbsent(documentId, d -> new AtomicLong()).incrementAndGet());
            stamped.put("by", "anonymous");
            caller.sendOthersInGroup("document:" + documentId, "DocumentChanged", documentId, stamped);
        }
    }

    public static void main(String[] args) throws Exception {
        Sdk sdk = Sdk.bootstrap();
        SignalRModule signalr = sdk.module(SignalRModule.class);
        signalr.hubs().map("/hubs/documents", "Spaghetti.Collaboration.DocumentHub", new DocumentHub(),
                Authenticator.anonymous());
        System.out.println("READY " + signalr.startServer().port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(sdk::close));
        Thread.currentThread().join();
    }
}
