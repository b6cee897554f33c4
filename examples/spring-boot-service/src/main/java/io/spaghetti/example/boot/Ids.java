package io.spaghetti.example.boot;

import java.util.function.Function;

/** The shapes of the identifiers the service accepts, in one place for the validation annotations and the hub. */
final class Ids {
    /** Document and profile ids. */
    static final String ID = "[A-Za-z0-9_-]{1,64}";
    static final String ID_RULE = "must be 1 to 64 letters, digits, '-' or '_'";
    /** Tenants: lower case, so one tenant cannot appear under two spellings. */
    static final String TENANT = "[a-z0-9][a-z0-9-]{0,62}";
    static final String TENANT_RULE = "must be one tenant id: 1 to 63 lower-case letters, digits or '-' (given once)";

    private Ids() {
    }

    static <E extends RuntimeException> String document(String id, Function<String, E> refusal) {
        if (id == null || !id.matches(ID)) {
            throw refusal.apply("A document id " + ID_RULE);
        }
        return id;
    }
}
