package io.spaghetti.sdk.backplane.internal;

import io.spaghetti.sdk.backplane.ConnectionSink;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * A group's or user's local members laid out for a fan-out, built once per change of the members: when every member
 * is non-blocking, their sinks and protocol indexes sit in arrays, so delivering reads no per-connection object but
 * the sink (a CPU profile of the group fan-out put its cost in the per-member memory loads).
 */
final class FanOutPlan<M> {
    private static final FanOutPlan<?> NONE = new FanOutPlan<>(List.of(), new ConnectionSink[0], new byte[0]);

    private final List<M> members;
    /** Null unless every member is non-blocking. */
    private final ConnectionSink[] sinks;
    private final byte[] protocols;

    private FanOutPlan(List<M> members, ConnectionSink[] sinks, byte[] protocols) {
        this.members = members;
        this.sinks = sinks;
        this.protocols = protocols;
    }

    @SuppressWarnings("unchecked")
    static <M> FanOutPlan<M> none() {
        return (FanOutPlan<M>) NONE;
    }

    /** @param protocolIndex a member's index into the per-protocol frames of a message (below 128) */
    static <M> FanOutPlan<M> of(List<M> members, Predicate<M> nonBlocking, Function<M, ConnectionSink> sink,
            ToIntFunction<M> protocolIndex) {
        if (!members.stream().allMatch(nonBlocking)) {
            return new FanOutPlan<>(members, null, null);
        }
        ConnectionSink[] sinks = new ConnectionSink[members.size()];
        byte[] protocols = new byte[members.size()];
        for (int i = 0; i < sinks.length; i++) {
            sinks[i] = sink.apply(members.get(i));
            protocols[i] = (byte) protocolIndex.applyAsInt(members.get(i));
        }
        return new FanOutPlan<>(members, sinks, protocols);
    }

    List<M> members() {
        return members;
    }

    /** Every member is non-blocking: {@link #sink} and {@link #protocolIndex} hold them. */
    boolean allInline() {
        return sinks != null;
    }

    int size() {
        return members.size();
    }

    ConnectionSink sink(int i) {
        return sinks[i];
    }

    int protocolIndex(int i) {
        return protocols[i];
    }
}
