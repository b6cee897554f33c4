package io.spaghetti.sdk.crypto;

/** Operations on the KEK, for ops tooling and batch jobs. */
public interface KeyManagement {
    /** The KEK version new data keys are wrapped with. */
    String currentKekVersion();

    /** Makes a new KEK version and uses it for new data keys at once; old values still decrypt. Returns the version. */
    String rotate();

    /** Reads the KEK's current version from the provider now (a rotation done elsewhere). */
    String refresh();

    /** Tells the rotation listeners that a batch of {@code values} was rewrapped under the current version. */
    void rewrapped(long values);

    /** Adds a listener of KEK rotations, version changes, rewraps and failures. */
    void addRotationListener(RotationListener listener);
}
