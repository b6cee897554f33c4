package io.spaghetti.sdk.crypto;

/** Told of each {@link RotationEvent}, on the thread that caused it: return quickly, never throw. */
@FunctionalInterface
public interface RotationListener {
    void onRotation(RotationEvent event);
}
