package io.factoryhub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory from /proc (Linux): what the OS really gives the process, heap, metaspace, Kafka's page cache users and all. */
final class ProcessStats {

    private ProcessStats() {
    }

    /** VmRSS of this JVM in MB, -1 where /proc is missing. */
    static long rssMb() {
        return rssMb(ProcessHandle.current().pid());
    }

    static long rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Summed RSS of child processes (mosquitto), which the JVM's VmRSS does not include. */
    static long childrenRssMb() {
        return ProcessHandle.current().children().mapToLong(p -> Math.max(0, rssMb(p.pid()))).sum();
    }

    /** Java heap the JVM has taken from the OS so far (of its -Xmx), in MB. */
    static long heapCommittedMb() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 20;
    }

    /** Heap still referenced after a full collection, in MB: what the process holds, garbage excluded. */
    static long liveHeapMb() {
        System.gc();
        return heapUsedMb();
    }

    static long heapUsedMb() {
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) >> 20;
    }
}
