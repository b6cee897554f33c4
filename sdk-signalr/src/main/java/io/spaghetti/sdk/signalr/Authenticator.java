package io.spaghetti.sdk.signalr;

import java.util.Optional;

/**
 * Decides who a client is from its bearer token: the {@code Authorization: Bearer} header, or the
 * {@code access_token} query parameter that browsers use for WebSockets and Server-Sent Events
 * (they cannot set headers there). Called at negotiate and when a client connects without it; an
 * empty result refuses the client with 401.
 */
@FunctionalInterface
public interface Authenticator {
    /**
     * @param bearerToken the token, or null when the client sent none
     * @return the user, or empty to refuse the client
     */
    Optional<HubUser> authenticate(String bearerToken) throws Exception;

    /** Everyone, token or not, as an anonymous user: for local demos and public hubs. */
    static Authenticator anonymous() {
        return token -> Optional.of(HubUser.ANONYMOUS);
    }
}
