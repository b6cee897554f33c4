package io.spaghetti.sdk.core.internal.bootstrap;

import io.spaghetti.sdk.core.SdkModule;
import io.spaghetti.sdk.core.SdkStartupException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Orders modules so that each starts after the modules it depends on. */
public final class ModuleGraph {
    private ModuleGraph() {
    }

    /** Dependencies first; ties broken by name so the order is the same on every run. */
    public static List<SdkModule> order(List<SdkModule> modules) {
        Map<String, SdkModule> byName = new LinkedHashMap<>();
        modules.stream().sorted(Comparator.comparing(SdkModule::name)).forEach(m -> {
            SdkModule previous = byName.putIfAbsent(m.name(), m);
            if (previous != null) {
                throw new SdkStartupException("two modules are named '" + m.name() + "': "
                        + previous.getClass().getName() + " and " + m.getClass().getName()
                        + ". Fix: remove the duplicate jar from the classpath.");
            }
        });
        for (SdkModule m : byName.values()) {
            for (String dep : m.dependsOn()) {
                if (!byName.containsKey(dep)) {
                    throw new SdkStartupException("module '" + m.name() + "' needs module '" + dep
                            + "', which is not on the classpath. Fix: add the jar that provides '" + dep + "'.");
                }
            }
        }
        List<SdkModule> ordered = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (SdkModule m : byName.values()) {
            visit(m, byName, done, new ArrayList<>(), ordered);
        }
        return ordered;
    }

    private static void visit(SdkModule m, Map<String, SdkModule> byName, Set<String> done, List<String> path,
            List<SdkModule> out) {
        if (done.contains(m.name())) {
            return;
        }
        if (path.contains(m.name())) {
            path.add(m.name());
            throw new SdkStartupException("modules depend on each other in a cycle: " + String.join(" -> ", path));
        }
        path.add(m.name());
        m.dependsOn().stream().sorted().forEach(dep -> visit(byName.get(dep), byName, done, path, out));
        m.startsAfter().stream().filter(byName::containsKey).sorted()
                .forEach(dep -> visit(byName.get(dep), byName, done, path, out));
        path.remove(path.size() - 1);
        done.add(m.name());
        out.add(m);
    }
}
