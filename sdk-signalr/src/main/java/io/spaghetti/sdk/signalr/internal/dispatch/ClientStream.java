package io.spaghetti.sdk.signalr.internal.dispatch;

import java.util.ArrayDeque;
import java.util.concurrent.Flow;

/**
 * A stream the client uploads (an invocation's {@code streamIds}), handed to the hub method as a
 * {@link Flow.Publisher} for one subscriber. Items that arrive before demand wait in a bounded buffer;
 * a client that overruns it fails the stream rather than growing memory. Signals run on the thread that
 * pushed the item or requested more, one at a time.
 */
public final class ClientStream implements Flow.Publisher<Object> {
    private final int capacity;
    private final ArrayDeque<Object> buffer = new ArrayDeque<>();
    private Flow.Subscriber<? super Object> subscriber;
    private long demand;
    private boolean completed;
    private Throwable error;
    private boolean cancelled;
    private boolean draining;

    public ClientStream(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Object> s) {
        synchronized (this) {
            if (subscriber != null) {
                s.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                s.onError(new IllegalStateException("A client stream has one subscriber; it already has one"));
                return;
            }
            subscriber = s;
        }
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                synchronized (ClientStream.this) {
                    demand = n <= 0 || demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                drain();
            }

            @Override
            public void cancel() {
                synchronized (ClientStream.this) {
                    cancelled = true;
                    buffer.clear();
                }
            }
        });
        drain();
    }

    /** An item from the client; false when the subscriber lags {@code capacity} items behind. */
    public boolean push(Object item) {
        synchronized (this) {
            if (cancelled || completed) {
                return true;
            }
            if (buffer.size() >= capacity) {
                return false;
            }
            buffer.add(item);
        }
        drain();
        return true;
    }

    /** The client finished the stream: {@code failure} is null when it ended cleanly. */
    public void finish(Throwable failure) {
        synchronized (this) {
            completed = true;
            error = failure;
        }
        drain();
    }

    private void drain() {
        while (true) {
            Object next;
            boolean end;
            Flow.Subscriber<? super Object> s;
            synchronized (this) {
                if (draining || subscriber == null || cancelled) {
                    return;
                }
                s = subscriber;
                next = demand > 0 ? buffer.poll() : null;
                end = next == null && buffer.isEmpty() && completed;
                if (next == null && !end) {
                    return;
                }
                if (next != null && demand != Long.MAX_VALUE) {
                    demand--;
                }
                if (end) {
                    cancelled = true;
                }
                draining = true;
            }
            try {
                if (end) {
                    if (error == null) {
                        s.onComplete();
                    } else {
                        s.onError(error);
                    }
                    return;
                }
                s.onNext(next);
            } finally {
                synchronized (this) {
                    draining = false;
                }
            }
        }
    }
}
