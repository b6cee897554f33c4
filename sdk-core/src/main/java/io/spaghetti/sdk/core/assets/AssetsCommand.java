package io.spaghetti.sdk.core.assets;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code assets list} and {@code assets export DIR}: the bundled infrastructure assets of every SDK
 * module on the classpath (scripts/assets.sh runs it with the example service's jar).
 */
@Command(name = "assets", mixinStandardHelpOptions = true, description = "The SDK's bundled infrastructure assets.",
        subcommands = {AssetsCommand.ListAssets.class, AssetsCommand.Export.class})
public final class AssetsCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new AssetsCommand()).execute(args));
    }

    @Command(name = "list", description = "Prints every asset path.")
    static final class ListAssets implements Callable<Integer> {
        @Override
        public Integer call() {
            Assets.list().forEach(System.out::println);
            return 0;
        }
    }

    @Command(name = "export", description = "Writes every asset under DIR, keeping its path.")
    static final class Export implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() {
            int n = Assets.export(dir).size();
            System.out.println("exported " + n + " assets to " + dir.toAbsolutePath());
            return 0;
        }
    }
}
