package dev.doorcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A memory cgroup (v1) of a given size for one server, as a container would give it: the limit, what the
 * kernel charges to it (heap, native memory, page cache of the files it reads) and whether its OOM killer
 * struck. The group is made under the bench's own memory group, so whatever limits the machine already puts
 * on the bench still hold, and removed again by {@link #close()}.
 */
final class Cgroup implements AutoCloseable {

    private final Path dir;

    private Cgroup(Path dir) {
        this.dir = dir;
    }

    /**
     * Makes a new group of {@code limitBytes}.
     *
     * @throws IllegalStateException when this machine has no cgroup v1 memory controller mounted
     */
    static Cgroup create(String name, long limitBytes) throws IOException {
        Path group = ownMemoryGroup().resolve(name);
        Files.createDirectory(group);
        Cgroup cgroup = new Cgroup(group);
        Files.writeString(group.resolve("memory.limit_in_bytes"), Long.toString(limitBytes));
        return cgroup;
    }

    /** Where the memory controller is mounted, joined with the group this process is in. */
    private static Path ownMemoryGroup() throws IOException {
        Path mount = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 3 && f[2].equals("cgroup") && List.of(f[3].split(",")).contains("memory")) {
                mount = Path.of(f[1]);
            }
        }
        if (mount == null) {
            throw new IllegalStateException("No cgroup v1 memory controller is mounted on this machine "
                    + "(mount | grep cgroup shows none with 'memory'); the footprint bench needs one to give the "
                    + "server a container's memory limit. Stopping.");
        }
        String own = "/";
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (List.of(f[1].split(",")).contains("memory")) {
                own = f[2];
            }
        }
        return mount.resolve(own.substring(1));
    }

    /** The command, started inside this group: a shell joins the group, then becomes the command. */
    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c",
                "echo $$ > '" + dir.resolve("cgroup.procs") + "' && exec \"$@\"", "sh"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** What the kernel charges to the group now (memory.usage_in_bytes), MB. */
    double usageMb() {
        return read("memory.usage_in_bytes") / 1048576.0;
    }

    /** The most it was ever charged (memory.max_usage_in_bytes), MB. */
    double peakMb() {
        return read("memory.max_usage_in_bytes") / 1048576.0;
    }

    /**
     * Kernel memory charged to the group (memory.kmem.usage_in_bytes): sockets, their buffers where the
     * kernel accounts them, and the like.
     */
    double kernelMb() {
        return read("memory.kmem.usage_in_bytes") / 1048576.0;
    }

    /** Starts the peak over, so that it covers only what comes next. */
    void resetPeak() {
        try {
            Files.writeString(dir.resolve("memory.max_usage_in_bytes"), "0");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line of memory.stat (total_rss, total_cache, ...), MB. */
    double statMb(String key) {
        try {
            for (String line : Files.readAllLines(dir.resolve("memory.stat"))) {
                if (line.startsWith(key + " ")) {
                    return Long.parseLong(line.substring(key.length() + 1).trim()) / 1048576.0;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Double.NaN;
    }

    /** How many processes of the group the kernel's OOM killer has killed (memory.oom_control). */
    long oomKills() {
        try {
            for (String line : Files.readAllLines(dir.resolve("memory.oom_control"))) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring(9).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }

    private long read(String file) {
        try {
            return Long.parseLong(Files.readString(dir.resolve(file)).trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes the group; its processes must have ended. */
    @Override
    public void close() {
        for (int i = 0; i < 50; i++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException busy) {
                Bench.sleep(100);
            }
        }
        System.out.println("could not remove " + dir + "; remove it with rmdir once its processes have ended");
    }
}
