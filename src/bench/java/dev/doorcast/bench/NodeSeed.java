package dev.doorcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed's Node server as a bench target, taken at run time from the seed's API document
 * ({@code bench.node-seed}, by default {@code ../shared/seed/streaming-api.md}) and never kept in this
 * repository. The document's {@code javascript} blocks are written to {@code target/bench/node-seed/}: a block
 * whose first line is a comment naming a file ({@code // services/streamBuffer.js}) goes to that file, and the
 * block that calls {@code listen(} is the server. Packages it requires are installed there with npm, and the
 * machine's {@code node} runs it with {@code PORT} set. Without the document, node, or a server among the
 * blocks, the target is skipped with a message saying which.
 */
final class NodeSeed {

    private static final Pattern BLOCK = Pattern.compile("```(?:javascript|js)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern FILE_COMMENT = Pattern.compile("^//\\s*([\\w./-]+\\.js)\\s*$");
    private static final Pattern REQUIRE = Pattern.compile("require\\(['\"]([^'\"./][^'\"]*)['\"]\\)"
            + "|from\\s+['\"]([^'\"./][^'\"]*)['\"]");
    private static final Set<String> NODE_BUILT_INS = Set.of("http", "https", "fs", "path", "events", "stream",
            "url", "crypto", "os", "util", "net", "buffer", "zlib", "child_process");

    private static String entry;

    private NodeSeed() {
    }

    /** Whether the seed server can run here; prints why not when it cannot. */
    static boolean available(Path out) throws IOException, InterruptedException {
        if (entry != null) {
            return true;
        }
        Path seed = Path.of(System.getProperty("bench.node-seed", "../shared/seed/streaming-api.md"));
        if (!Files.isRegularFile(seed)) {
            System.out.println("node: skipped, the seed's document " + seed.toAbsolutePath()
                    + " is not there (set -Dbench.node-seed=PATH)");
            return false;
        }
        if (run(out, "node", "--version") != 0) {
            System.out.println("node: skipped, no node on the PATH");
            return false;
        }
        Path dir = out.resolve("node-seed");
        Files.createDirectories(dir);
        Matcher m = BLOCK.matcher(Files.readString(seed));
        Set<String> packages = new TreeSet<>();
        int blocks = 0;
        String server = null;
        while (m.find()) {
            String code = m.group(1);
            blocks++;
            String first = code.lines().findFirst().orElse("");
            Matcher file = FILE_COMMENT.matcher(first.trim());
            String name = file.matches() ? file.group(1) : "block-" + blocks + ".js";
            Path target = dir.resolve(name);
            Files.createDirectories(target.getParent());
            Files.writeString(target, code);
            if (code.contains(".listen(")) {
                server = name;
            }
            Matcher r = REQUIRE.matcher(code);
            while (r.find()) {
                String pkg = r.group(1) != null ? r.group(1) : r.group(2);
                String base = pkg.startsWith("@") ? pkg : pkg.split("/")[0];
                if (!NODE_BUILT_INS.contains(base) && !base.startsWith("node:")) {
                    packages.add(base);
                }
            }
        }
        if (server == null) {
            System.out.println("node: skipped, none of the " + blocks + " javascript blocks in " + seed
                    + " is a server (none calls listen(); they are browser snippets), so there is nothing to run");
            return false;
        }
        if (!packages.isEmpty()) {
            List<String> npm = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix",
                    dir.toString()));
            npm.addAll(packages);
            if (run(out, npm.toArray(String[]::new)) != 0) {
                System.out.println("node: skipped, npm install " + packages + " failed (see " + out.resolve("npm.log") + ")");
                return false;
            }
        }
        entry = dir.resolve(server).toString();
        return true;
    }

    /** The command that runs the seed server on {@code port} (PORT in its environment, and as an argument). */
    static List<String> command(Path out, int port) {
        return List.of("env", "PORT=" + port, "node", entry, Integer.toString(port));
    }

    private static int run(Path out, String... command) throws IOException, InterruptedException {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.resolve("npm.log").toFile()).start().waitFor();
        } catch (IOException missing) {
            return -1;
        }
    }
}
