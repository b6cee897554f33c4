package io.spaghetti.sdk.core.redis;

/** The shared Redis connection could not be made; {@link #reason()} says which kind of failure. */
public final class RedisConnectException extends RuntimeException {

    /** What went wrong, each with the fix to try. */
    public enum Reason {
        WRONG_PASSWORD("the server rejected the user name or password (WRONGPASS)",
                "check redis.username and the secret redis.password points at"),
        NOAUTH("the server requires a password and none was sent (NOAUTH)",
                "set redis.password (and redis.username for an ACL user)"),
        NO_PASSWORD_EXPECTED("a password was sent but the server has none configured",
                "remove redis.password, or configure requirepass/ACL on the server"),
        NO_PERMISSION("the user lacks a permission the SDK needs (NOPERM)",
                "grant the user the commands, keys and channels listed in the README"),
        TLS_MISMATCH_SERVER_EXPECTS_TLS("the server expects TLS but the client spoke plain text",
                "set redis.tls.enabled: true and a truststore"),
        TLS_MISMATCH_SERVER_PLAIN("the client spoke TLS but the server is plain text",
                "set redis.tls.enabled: false, or use the server's TLS port"),
        TLS_HANDSHAKE("the TLS handshake failed (certificate not trusted, wrong host name or protocol)",
                "point redis.tls.truststore at the CA that signed the server certificate"),
        UNREACHABLE("no server answered at the address (connection refused or no route)",
                "check redis.addresses and that Redis is running"),
        TIMEOUT("the server did not answer in time",
                "check the server's load and redis.connectTimeout / redis.timeout"),
        UNKNOWN("the connection failed", "see the cause and the Redis server log");

        private final String description;
        private final String fix;

        Reason(String description, String fix) {
            this.description = description;
            this.fix = fix;
        }

        public String description() {
            return description;
        }

        public String fix() {
            return fix;
        }
    }

    private final Reason reason;

    public RedisConnectException(Reason reason, String target, Throwable cause) {
        super("Redis (" + target + "): " + reason.description() + ". Fix: " + reason.fix() + ".", cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
