package io.spaghetti.sdk.core.config;

/**
 * Who this process is; becomes the common metric tags {@code service}, {@code instance} and
 * {@code environment}.
 */
public record ServiceConfig(String name, String instance, String environment) implements Validated {

    public static final ConfigSection<ServiceConfig> SECTION = ConfigSection.of("service", ServiceConfig.class);

    public ServiceConfig {
        if (instance == null || instance.isBlank()) {
            // Host and process: two instances on one host must not share their metric series.
            instance = hostName() + "-" + ProcessHandle.current().pid();
        }
    }

    /** True for environments where development shortcuts (local keys, literal secrets) must warn loudly. */
    public boolean isProduction() {
        return environment.startsWith("prod");
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }

    @Override
    public void validate(ConfigProblems problems, String path) {
        problems.require(name != null && name.matches("[a-z][a-z0-9-]{0,62}"), path + ".name", name,
                "is not a service name", "use lower-case letters, digits and '-', e.g. document-service");
        problems.require(environment != null && environment.matches("[a-z][a-z0-9-]{0,30}"), path + ".environment",
                environment, "is not an environment name", "use a short lower-case name such as dev, staging or prod");
        problems.require(instance != null && !instance.isBlank(), path + ".instance", instance,
                "is empty", "leave it unset to use the host name, or set a stable pod name");
    }
}
