package io.spaghetti.sdk.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The public API of each SDK artifact as sorted text lines: every public type outside {@code ...internal} with its
 * supertypes, and its public and protected constructors, methods and fields (raw types). Two dumps differ exactly
 * where a caller's compiled code could break or gain something.
 */
final class ApiDump {
    private static final Pattern ARTIFACT = Pattern.compile("/(sdk-[a-z0-9-]+?)(?:-\\d[^/!]*\\.jar|/target/classes)");

    private ApiDump() {
    }

    /** Artifact id to its API lines. */
    static Map<String, Set<String>> of(Iterable<JavaClass> classes) {
        Map<String, Set<String>> byArtifact = new TreeMap<>();
        for (JavaClass c : classes) {
            if (!isApi(c)) {
                continue;
            }
            byArtifact.computeIfAbsent(artifactOf(c), a -> new TreeSet<>()).addAll(lines(c));
        }
        return byArtifact;
    }

    static boolean isApi(JavaClass c) {
        return c.getPackageName().startsWith("io.spaghetti.sdk.") && !c.getPackageName().contains(".internal")
                && !c.getPackageName().contains(".architecture") && visible(c);
    }

    private static boolean visible(JavaClass c) {
        if (!c.getModifiers().contains(JavaModifier.PUBLIC) || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        Optional<JavaClass> enclosing = c.getEnclosingClass();
        return enclosing.isEmpty() || visible(enclosing.get());
    }

    static String artifactOf(JavaClass c) {
        String uri = c.getSource().map(s -> s.getUri().toString()).orElse("");
        Matcher m = ARTIFACT.matcher(uri);
        return m.find() ? m.group(1) : "unknown";
    }

    static List<String> lines(JavaClass c) {
        List<String> out = new ArrayList<>();
        String type = c.getName();
        String kind = c.isRecord() ? "record" : c.isEnum() ? "enum" : c.isAnnotation() ? "@interface"
                : c.isInterface() ? "interface" : (c.getModifiers().contains(JavaModifier.ABSTRACT) ? "abstract " : "")
                        + (c.getModifiers().contains(JavaModifier.FINAL) ? "final " : "") + "class";
        String supers = c.getRawSuperclass().filter(s -> !s.getName().equals("java.lang.Object")
                        && !s.getName().equals("java.lang.Record") && !s.getName().equals("java.lang.Enum"))
                .map(s -> " extends " + s.getName()).orElse("")
                + (c.getRawInterfaces().isEmpty() ? "" : " implements " + c.getRawInterfaces().stream()
                        .map(JavaClass::getName).sorted().collect(Collectors.joining(", ")));
        out.add(type + " " + kind + supers);
        for (JavaCodeUnit u : c.getCodeUnits()) {
            Set<JavaModifier> mods = u.getModifiers();
            if (!(mods.contains(JavaModifier.PUBLIC) || mods.contains(JavaModifier.PROTECTED))
                    || mods.contains(JavaModifier.SYNTHETIC) || mods.contains(JavaModifier.BRIDGE)
                    || u.getName().equals("<clinit>")) {
                continue;
            }
            String params = u.getRawParameterTypes().stream().map(JavaClass::getName).collect(Collectors.joining(", "));
            String name = u.getName().equals("<init>") ? "<init>" : u.getName();
            String result = u.getName().equals("<init>") ? "" : " : " + u.getRawReturnType().getName();
            out.add(type + " " + (mods.contains(JavaModifier.STATIC) ? "static " : "")
                    + (mods.contains(JavaModifier.PROTECTED) ? "protected " : "") + name + "(" + params + ")" + result);
        }
        for (JavaField f : c.getFields()) {
            Set<JavaModifier> mods = f.getModifiers();
            if ((mods.contains(JavaModifier.PUBLIC) || mods.contains(JavaModifier.PROTECTED))
                    && !mods.contains(JavaModifier.SYNTHETIC)) {
                out.add(type + " " + (mods.contains(JavaModifier.STATIC) ? "static " : "") + "field " + f.getName()
                        + " : " + f.getRawType().getName());
            }
        }
        return out;
    }

    /** What {@code now} adds ("+ ") and removes ("- ") compared with {@code before}. */
    static List<String> difference(Set<String> before, Set<String> now) {
        List<String> d = new ArrayList<>();
        before.stream().filter(l -> !now.contains(l)).forEach(l -> d.add("- " + l));
        now.stream().filter(l -> !before.contains(l)).forEach(l -> d.add("+ " + l));
        return d;
    }
}
