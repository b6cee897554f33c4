package io.spaghetti.sdk.backplane;

/**
 * Delivers frames to one client connection held by this service. Called on the backplane's
 * receiving threads: hand slow work off rather than block. An exception counts the message as
 * undelivered; it does not unregister the connection.
 */
@FunctionalInterface
public interface ConnectionSink {
    void deliver(HubFrame frame) throws Exception;
}
