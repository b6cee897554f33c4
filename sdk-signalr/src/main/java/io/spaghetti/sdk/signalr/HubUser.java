package io.spaghetti.sdk.signalr;

/**
 * Who a connection belongs to, as the {@link Authenticator} decided.
 *
 * @param id the user id that {@code HubContext.sendUser} addresses; null for an anonymous connection
 */
public record HubUser(String id) {
    public static final HubUser ANONYMOUS = new HubUser(null);
}
