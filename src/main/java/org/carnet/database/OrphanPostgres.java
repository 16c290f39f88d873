package org.carnet.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL runs as its own process. When Carnet dies abruptly (killed, out of memory), that process
 * keeps running and holds the data directory, and the next start would fail on its lock file. Once Carnet holds the
 * data directory's own lock (so no other Carnet uses it), such a server can only be an orphan of an earlier Carnet:
 * it is asked to shut down (SIGTERM, a smart shutdown: its clients are gone) before the new one starts. Its open
 * transactions are rolled back, as after any crash.
 */
final class OrphanPostgres {

    private static final Logger log = LoggerFactory.getLogger(OrphanPostgres.class);

    private OrphanPostgres() {}

    static void stopIfRunning(Path pgData, Duration patience) {
        Path pidFile = pgData.resolve("postmaster.pid");
        Optional<ProcessHandle> orphan = pid(pidFile)
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        log.warn(
                "Stopping the embedded PostgreSQL (pid {}) left running by a Carnet that stopped abruptly",
                orphan.get().pid());
        orphan.get().destroy();
        long start = System.nanoTime();
        while (Files.exists(pidFile) && System.nanoTime() - start < patience.toNanos()) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Optional<Long> pid(Path pidFile) {
        try {
            List<String> lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
            return lines.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
