package io.spaghetti.sdk.signalr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;

/** A hub with one method per behaviour the ITs check. */
public class TestHub implements Hub {
    static final String NAME = "Spaghetti.Tests.TestHub";
    final List<String> connected = new CopyOnWriteArrayList<>();
    final List<String> disconnected = new CopyOnWriteArrayList<>();
    final Map<String, Boolean> cancelled = new ConcurrentHashMap<>();

    @Override
    public void onConnected(HubCaller caller) {
        connected.add(caller.connectionId());
    }

    @Override
    public void onDisconnected(HubCaller caller, Throwable error) {
        disconnected.add(caller.connectionId());
    }

    public String echo(String text) {
        return text;
    }

    public int add(int a, int b) {
        return a + b;
    }

    public Map<String, Object> describe(Map<String, Object> change) {
        return Map.of("keys", change.keySet().stream().sorted().toList());
    }

    public void refuse(String why) {
        throw new HubException(why);
    }

    public void crash() {
        throw new IllegalStateException("internal detail: jdbc:postgresql://db/secret");
    }

    public CompletableFuture<String> later(String text) {
        return CompletableFuture.supplyAsync(() -> text.toUpperCase(java.util.Locale.ROOT),
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
    }

    public String whoAmI(HubCaller caller) {
        return caller.userId();
    }

    public void join(HubCaller caller, String group) {
        caller.joinGroup(group).join();
    }

    public void leave(HubCaller caller, String group) {
        caller.leaveGroup(group).join();
    }

    public void tellGroup(HubCaller caller, String group, JsonNode payload) {
        caller.sendOthersInGroup(group, "Told", payload).join();
    }

    public Flow.Publisher<Integer> counter(HubCaller caller, int count, int delayMillis) {
        SubmissionPublisher<Integer> out = new SubmissionPublisher<>();
        String key = caller.connectionId() + ":" + count;
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < count && !out.isClosed(); i++) {
                    TimeUnit.MILLISECONDS.sleep(delayMillis);
                    if (out.getNumberOfSubscribers() == 0) {
                        cancelled.put(key, true);
                        out.close();
                        return;
                    }
                    out.submit(i);
                }
                out.close();
            } catch (InterruptedException e) {
                out.closeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return out;
    }

    public CompletableFuture<Integer> sum(Flow.Publisher<Integer> numbers) {
        CompletableFuture<Integer> total = new CompletableFuture<>();
        numbers.subscribe(new Flow.Subscriber<>() {
            int sum;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Integer item) {
                sum += item;
            }

            @Override
            public void onError(Throwable t) {
                total.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                total.complete(sum);
            }
        });
        return total;
    }

    public CompletableFuture<String> askCaller(HubCaller caller, String question) {
        return caller.invokeCaller("GetAnswer", question).thenApply(JsonNode::asText);
    }
}
