package dev.doorcast;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package table of docs/architecture.md is the dependency rule, and the code obeys it: every reference
 * from one of doorcast's packages to another (an import, or a name written out in full) must be one its row
 * lists, and every package a row lists must be used, so that the table says what the code does. The table has
 * no cycle: every dependency between two packages reads one way.
 */
class ArchitectureTest {

    private static final Path DOC = Path.of("docs/architecture.md");
    private static final Path SOURCES = Path.of("src/main/java/dev/doorcast");
    /** A row: | `package` | what it holds | `a`, `b` (or nothing) | */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z]+)` \\|.*\\| ([^|]+) \\|$");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.doorcast\\.([a-z]+)\\.");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void everyPackageImportsWhatItsRowInTheArchitectureTableSaysAndNothingElse() {
        Map<String, Set<String>> table = table(DOC);
        Map<String, Set<String>> code = references(SOURCES);

        assertThat(table.keySet()).as("a row in %s for each package, and a package for each row", DOC)
                .containsExactlyInAnyOrderElementsOf(code.keySet());
        assertThat(differences(table, code)).as("what the code imports against %s's table", DOC).isEmpty();
    }

    @Test
    void anImportAgainstTheTableIsFoundAndSoIsARowThatClaimsTooMuch() {
        Map<String, Set<String>> table = Map.of("buffer", Set.of(), "stream", Set.of("buffer", "events"),
                "events", Set.of("buffer"));
        Map<String, Set<String>> code = Map.of("buffer", Set.of("stream"), "stream", Set.of("buffer"),
                "events", Set.of("buffer"));

        assertThat(differences(table, code)).containsExactlyInAnyOrder(
                "buffer imports stream, which its row does not list",
                "stream's row lists events, which none of its files uses");
    }

    @Test
    void noPackageReachesItselfThroughTheTable() {
        assertThat(cycles(table(DOC))).as("cycles in %s's table", DOC).isEmpty();
    }

    @Test
    void aCycleIsFoundWhateverItsLengthAndATreeIsNot() {
        Map<String, Set<String>> twoWay = Map.of("buffer", Set.of(), "device", Set.of("buffer", "stream"),
                "stream", Set.of("buffer", "device"));
        Map<String, Set<String>> threeWay = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"),
                "d", Set.of());
        Map<String, Set<String>> oneWay = Map.of("buffer", Set.of(), "device", Set.of("buffer"),
                "stream", Set.of("buffer", "device"), "stats", Set.of("buffer", "device", "stream"));

        assertThat(cycles(twoWay)).containsExactly("device -> stream -> device");
        assertThat(cycles(threeWay)).containsExactly("a -> b -> c -> a");
        assertThat(cycles(oneWay)).isEmpty();
        assertThat(cycles(Map.of("self", Set.of("self")))).containsExactly("self -> self");
    }

    @Test
    void theTableIsReadAsTheDocShowsIt() {
        Map<String, Set<String>> table = table(DOC);

        assertThat(table.get("buffer")).as("the buffer knows nothing of the rest").isEmpty();
        assertThat(table.get("ingest")).containsExactlyInAnyOrder("buffer", "system");
        assertThat(table).hasSizeGreaterThan(8);
    }

    /** What breaks the rule, in words: imports a row does not list, and listed packages nothing imports. */
    static Set<String> differences(Map<String, Set<String>> table, Map<String, Set<String>> code) {
        Set<String> found = new TreeSet<>();
        code.forEach((pkg, used) -> used.stream().filter(other -> !table.getOrDefault(pkg, Set.of()).contains(other))
                .forEach(other -> found.add(pkg + " imports " + other + ", which its row does not list")));
        table.forEach((pkg, listed) -> listed.stream().filter(other -> !code.getOrDefault(pkg, Set.of()).contains(other))
                .forEach(other -> found.add(pkg + "'s row lists " + other + ", which none of its files uses")));
        return found;
    }

    /**
     * The cycles of {@code graph} (package -> the packages it imports), each once, as the path from its first
     * package in alphabetical order back to it: "a -> b -> a". Empty when every dependency reads one way.
     */
    static List<String> cycles(Map<String, Set<String>> graph) {
        Set<String> found = new TreeSet<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            walk(graph, start, new ArrayList<>(List.of(start)), found);
        }
        return List.copyOf(found);
    }

    /** Follows {@code path} on through packages after its start alphabetically, noting each way back to it. */
    private static void walk(Map<String, Set<String>> graph, String start, List<String> path, Set<String> found) {
        for (String next : new TreeSet<>(graph.getOrDefault(path.getLast(), Set.of()))) {
            if (next.equals(start)) {
                found.add(String.join(" -> ", path) + " -> " + start);
            } else if (next.compareTo(start) > 0 && !path.contains(next)) {
                path.add(next);
                walk(graph, start, path, found);
                path.removeLast();
            }
        }
    }

    /** The rows of the table under "## Packages": package -> the packages it may import. */
    static Map<String, Set<String>> table(Path doc) {
        Map<String, Set<String>> rows = new TreeMap<>();
        boolean inSection = false;
        for (String line : lines(doc)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Packages");
                continue;
            }
            Matcher row = ROW.matcher(line.strip());
            if (!inSection) {
                continue;
            }
            if (row.matches()) {
                Set<String> allowed = new TreeSet<>();
                Matcher listed = Pattern.compile("`([a-z]+)`").matcher(row.group(2));
                while (listed.find()) {
                    allowed.add(listed.group(1));
                }
                rows.put(row.group(1), allowed);
            }
        }
        return rows;
    }

    /** Each package under {@code root}: the other doorcast packages its sources name, comments left out. */
    static Map<String, Set<String>> references(Path root) {
        Map<String, Set<String>> packages = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String pkg = dir.getFileName().toString();
                Set<String> used = new TreeSet<>();
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        Matcher reference = REFERENCE.matcher(COMMENTS.matcher(Files.readString(file)).replaceAll(""));
                        while (reference.find()) {
                            used.add(reference.group(1));
                        }
                    }
                }
                used.remove(pkg);
                packages.put(pkg, used);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return packages;
    }

    private static java.util.List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
