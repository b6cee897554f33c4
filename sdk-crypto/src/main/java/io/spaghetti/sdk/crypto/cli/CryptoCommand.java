package io.spaghetti.sdk.crypto.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spaghetti.sdk.core.Sdk;
import io.spaghetti.sdk.core.config.SdkConfig;
import io.spaghetti.sdk.crypto.CryptoModule;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The SDK's key command, for ops scripts (scripts/key-rotation.sh): the same configuration as the
 * service (spaghetti-sdk.yaml, SPAGHETTI_CRYPTO_*), only the crypto module started.
 *
 * <pre>
 * java -cp service.jar io.spaghetti.sdk.crypto.cli.CryptoCommand rotate
 * java -cp service.jar io.spaghetti.sdk.crypto.cli.CryptoCommand rewrap &lt; values.txt &gt; rewrapped.txt
 * </pre>
 */
@Command(name = "spaghetti-crypto", mixinStandardHelpOptions = true,
        description = "Key operations with the service's crypto configuration.",
        subcommands = {CryptoCommand.Version.class, CryptoCommand.Rotate.class, CryptoCommand.Rewrap.class})
public final class CryptoCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new CryptoCommand()).execute(args));
    }

    static Sdk start() {
        return Sdk.builder().config(SdkConfig.load()).meterRegistry(new SimpleMeterRegistry())
                .modules(List.of(new CryptoModule())).build();
    }

    @Command(name = "current-version", description = "Prints the KEK version new data keys are wrapped with.")
    static final class Version implements Callable<Integer> {
        @Override
        public Integer call() {
            try (Sdk sdk = start()) {
                System.out.println(sdk.module(CryptoModule.class).keys().currentKekVersion());
                return 0;
            }
        }
    }

    @Command(name = "rotate", description = "Creates a new KEK version and prints it; old values still decrypt.")
    static final class Rotate implements Callable<Integer> {
        @Override
        public Integer call() {
            try (Sdk sdk = start()) {
                System.out.println(sdk.module(CryptoModule.class).keys().rotate());
                return 0;
            }
        }
    }

    @Command(name = "rewrap", description = "Reads one ciphertext (sp1.…) per line on stdin and writes it re-wrapped "
            + "under the current KEK version to stdout, in order, without decrypting the data.")
    static final class Rewrap implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (Sdk sdk = start();
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8)) {
                var fields = sdk.module(CryptoModule.class).fields();
                long n = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.println(line.isBlank() ? line : fields.rewrapString(line.strip()));
                    n++;
                }
                out.flush();
                sdk.module(CryptoModule.class).keys().rewrapped(n);
                System.err.println("rewrapped " + n + " values");
                return 0;
            }
        }
    }
}
