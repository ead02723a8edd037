package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.internal.Session;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The boundary of the public API, read from the compiled classes: the module exports exactly the packages that are
 * not {@code internal}, no public or protected signature of an exported package names an internal type, and no class
 * of an exported package refers to an internal one at all, except the entry points that wire the implementation.
 */
class ApiBoundaryTest {
    /**
     * The only API classes that may refer to internal code: the entry points. {@code Cairn} opens the engine (SQLite
     * or PostgreSQL), runs the migrations and the maintenance; {@code Transaction} runs a session on its own
     * connection; {@code ReadTransaction} runs a read-only session on one reader's snapshot; {@code Repositories}
     * builds the repositories over a session (the conversations among them, since issue 17). Their nested classes do the same work:
     * {@code Cairn.Builder} picks and opens the engine, {@code Transaction}'s private {@code State} and
     * {@code TransactionSession} hold its connection and run the repositories on it, as {@code ReadSession} does for
     * a read transaction. Importers enter through {@code Cairn} too ({@code Cairn.importOmk}, a store-level operation
     * like a backup, one transaction per goal on the store's session), so {@code dev.cairn.imports.omk} holds only
     * its options, report and progress types, which name nothing internal. None of them names an internal
     * type in a public or protected signature (checked below), so a caller still cannot reach the implementation.
     */
    private static final Set<String> ENTRY_POINTS = Set.of("dev.cairn.Cairn", "dev.cairn.Cairn$Builder",
            "dev.cairn.Transaction", "dev.cairn.Transaction$State", "dev.cairn.Transaction$TransactionSession",
            "dev.cairn.ReadTransaction", "dev.cairn.ReadTransaction$ReadSession", "dev.cairn.Repositories");

    private static final Path CLASSES = classesDirectory();

    @Test
    void theModuleExportsEveryApiPackageAndNoInternalOne() throws IOException {
        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(CLASSES.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        Set<String> exported = module.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> packages = packages();

        assertThat(module.name()).isEqualTo("dev.cairn");
        assertThat(exported).filteredOn(ApiBoundaryTest::isInternal).isEmpty();
        assertThat(packages).filteredOn(ApiBoundaryTest::isInternal).isNotEmpty(); // the check above saw some
        assertThat(exported).isEqualTo(packages.stream().filter(p -> !isInternal(p))
                .collect(Collectors.toCollection(TreeSet::new)));
        assertThat(module.exports()).allMatch(e -> !e.isQualified());
        assertThat(module.opens()).allMatch(o -> !isInternal(o.source()) && o.isQualified());
        // The PostgreSQL driver and the pool are optional: a SQLite-only application must not need them.
        assertThat(module.requires()).filteredOn(r -> r.name().equals("org.postgresql.jdbc")
                || r.name().equals("com.zaxxer.hikari"))
                .hasSize(2).allMatch(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC));
    }

    @Test
    void noPublicSignatureOfTheApiNamesAnInternalType() throws Exception {
        List<String> found = new ArrayList<>();
        int scanned = 0;
        for (Class<?> type : apiClasses()) {
            if (isVisible(type)) {
                found.addAll(internalTypesIn(type));
                scanned++;
            }
        }
        assertThat(scanned).isGreaterThan(100);
        assertThat(found).isEmpty();
    }

    /** The import API is options, a report and a progress callback; anything more is a deliberate addition here. */
    @Test
    void theOmkImportApiIsItsOptionsReportAndProgress() throws Exception {
        Set<String> types = new TreeSet<>();
        for (Class<?> type : apiClasses()) {
            if (type.getPackageName().equals("dev.cairn.imports.omk") && isVisible(type)) {
                types.add(type.getSimpleName());
            }
        }
        assertThat(types).containsExactly("Kind", "OmkGoalReport", "OmkImportOptions", "OmkImportProblem",
                "OmkImportProgress", "OmkImportReport", "Outcome", "ProjectDirSource");
    }

    @Test
    void theSignatureScanFindsAnInternalType() {
        assertThat(internalTypesIn(Leaky.class)).containsExactlyInAnyOrder(
                "ApiBoundaryTest.Leaky.session() returns or throws dev.cairn.internal.Session",
                "ApiBoundaryTest.Leaky.sessions has type dev.cairn.internal.Session",
                "ApiBoundaryTest.Leaky(...) takes dev.cairn.internal.Session");
    }

    @Test
    void onlyTheEntryPointsReferToInternalCode() throws Exception {
        Map<String, Set<String>> referring = new TreeMap<>();
        int scanned = 0;
        for (Path file : classFiles()) {
            String name = className(file);
            if (isInternal(packageOf(name)) || name.equals("module-info")) {
                continue;
            }
            scanned++;
            Set<String> internal = internalReferences(file);
            if (!internal.isEmpty()) {
                referring.put(name, internal);
            }
        }
        assertThat(scanned).isGreaterThan(100);
        // Exactly the entry points: one more is a leak, one fewer means the list is out of date.
        assertThat(referring.keySet()).as("API classes that refer to internal code: %s", referring)
                .isEqualTo(new TreeSet<>(ENTRY_POINTS));
    }

    /** A class that breaks the rule, to show the signature scan would see it. */
    public static final class Leaky {
        public Session sessions;

        public Leaky(List<? extends Session> sessions) {}

        public Session session() {
            return null;
        }

        Session packagePrivateIsNotApi() {
            return null;
        }
    }

    private static List<String> internalTypesIn(Class<?> type) {
        List<String> found = new ArrayList<>();
        String owner = type.getName().substring(type.getPackageName().length() + 1).replace('$', '.');
        check(found, owner + " extends", type.getGenericSuperclass());
        for (Type parent : type.getGenericInterfaces()) {
            check(found, owner + " implements", parent);
        }
        if (type.isSealed()) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                check(found, owner + " permits", permitted);
            }
        }
        for (TypeVariable<?> variable : type.getTypeParameters()) {
            check(found, owner + "<" + variable.getName() + "> is bounded by", variable);
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                check(found, owner + "." + component.getName() + " has type", component.getGenericType());
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (isVisible(field.getModifiers()) && !field.isSynthetic()) {
                check(found, owner + "." + field.getName() + " has type", field.getGenericType());
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (isVisible(constructor.getModifiers()) && !constructor.isSynthetic()) {
                String what = owner + "(...)";
                for (Type parameter : constructor.getGenericParameterTypes()) {
                    check(found, what + " takes", parameter);
                }
                for (Type thrown : constructor.getGenericExceptionTypes()) {
                    check(found, what + " throws", thrown);
                }
                for (TypeVariable<?> variable : constructor.getTypeParameters()) {
                    check(found, what + " is bounded by", variable);
                }
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (isVisible(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
                String what = owner + "." + method.getName() + "()";
                check(found, what + " returns or throws", method.getGenericReturnType());
                for (Type parameter : method.getGenericParameterTypes()) {
                    check(found, what + " takes", parameter);
                }
                for (Type thrown : method.getGenericExceptionTypes()) {
                    check(found, what + " returns or throws", thrown);
                }
                for (TypeVariable<?> variable : method.getTypeParameters()) {
                    check(found, what + " is bounded by", variable);
                }
            }
        }
        return found.stream().distinct().collect(Collectors.toList());
    }

    private static void check(List<String> found, String where, Type type) {
        Set<Class<?>> named = new HashSet<>();
        collect(type, named, new HashSet<>());
        for (Class<?> c : named) {
            if (isInternal(c.getPackageName())) {
                found.add(where + " " + c.getName());
            }
        }
    }

    /** Every class a type names: its raw type, its type arguments, bounds, array components and owners. */
    private static void collect(Type type, Set<Class<?>> named, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            named.add(c.isArray() ? c.getComponentType() : c);
            if (c.isArray()) {
                collect(c.getComponentType(), named, seen);
            }
        } else if (type instanceof ParameterizedType p) {
            collect(p.getRawType(), named, seen);
            collect(p.getOwnerType(), named, seen);
            for (Type argument : p.getActualTypeArguments()) {
                collect(argument, named, seen);
            }
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                collect(bound, named, seen);
            }
            for (Type bound : w.getLowerBounds()) {
                collect(bound, named, seen);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                collect(bound, named, seen);
            }
        } else if (type instanceof GenericArrayType a) {
            collect(a.getGenericComponentType(), named, seen);
        }
    }

    /** Whether code outside the module can see the type: public, or protected, up its whole chain of enclosing types. */
    private static boolean isVisible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!isVisible(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /**
     * The internal classes a class file refers to, from the class names and descriptors of its constant pool: that is
     * where every type it extends, calls, reads, catches or casts to is named.
     */
    private static Set<String> internalReferences(Path classFile) throws IOException {
        Set<String> found = new TreeSet<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            in.readUnsignedShort(); // minor version
            in.readUnsignedShort(); // major version
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> { // Utf8: class names, descriptors, signatures, member names, string constants
                        String text = in.readUTF();
                        var matcher = java.util.regex.Pattern.compile("dev/cairn/([a-z]+/)*internal/[A-Za-z0-9_$/]+")
                                .matcher(text);
                        while (matcher.find()) {
                            found.add(matcher.group());
                        }
                    }
                    case 3, 4 -> in.skipBytes(4);
                    case 5, 6 -> { // long and double take two slots
                        in.skipBytes(8);
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                    case 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 15 -> in.skipBytes(3);
                    default -> throw new IOException("unknown constant pool tag " + tag + " in " + classFile);
                }
            }
        }
        return found;
    }

    private static boolean isInternal(String packageName) {
        return packageName.equals("internal") || packageName.endsWith(".internal")
                || packageName.contains(".internal.") || packageName.startsWith("internal.");
    }

    private static List<Class<?>> apiClasses() throws ClassNotFoundException, IOException {
        List<Class<?>> classes = new ArrayList<>();
        for (Path file : classFiles()) {
            String name = className(file);
            if (!name.equals("module-info") && !isInternal(packageOf(name))) {
                classes.add(Class.forName(name, false, ApiBoundaryTest.class.getClassLoader()));
            }
        }
        return classes;
    }

    private static Set<String> packages() throws IOException {
        return classFiles().stream().map(ApiBoundaryTest::className).filter(n -> !n.equals("module-info"))
                .map(ApiBoundaryTest::packageOf).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Path> classFiles() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(f -> f.toString().endsWith(".class")).sorted().collect(Collectors.toList());
        }
    }

    private static String className(Path classFile) {
        String relative = CLASSES.relativize(classFile).toString();
        return relative.substring(0, relative.length() - ".class".length()).replace(classFile.getFileSystem()
                .getSeparator(), ".");
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    /** The directory the main classes were compiled to (target/classes): where {@link Cairn} was loaded from. */
    private static Path classesDirectory() {
        try {
            Path path = Path.of(Cairn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isDirectory(path)) {
                throw new IllegalStateException("the main classes come from " + path + ", not a directory: run this "
                        + "test from the cairn-core module");
            }
            return path;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
