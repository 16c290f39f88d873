package org.carnet.ingestion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Files dropped in {@code carnet.ingestion.drop-dir} (HL7 v2 messages, CDA, FHIR Bundles, PDF with sidecar, insurer
 * CSV): each file is filed through {@link Ingestion}, then moved to {@code done/} when all of it is filed, else to
 * {@code failed/} (its items wait in quarantine or the dead-letter list, with their reasons). A file younger than two
 * seconds is left for the next round (it may still be being written). A file that names a document not filed yet (a
 * replacement or a deletion that overtook its document) stays where it is, nothing of it filed, and is tried again
 * each round until {@code carnet.ingestion.drop-wait} after its last modification; then it is filed without waiting
 * (a replacement as current, a deletion to the dead-letter list with its reason).
 */
@Component
@ConditionalOnProperty("carnet.ingestion.drop-dir")
@EnableScheduling
class DropDirectory {

    private static final Logger log = LoggerFactory.getLogger(DropDirectory.class);

    private final BulkImport bulk;
    private final Ingestion ingestion;
    private final Path dir;
    private final java.time.Duration maxWait;
    private final java.time.Clock clock;

    DropDirectory(BulkImport bulk, Ingestion ingestion, IngestionProperties properties, java.time.Clock clock)
            throws IOException {
        this.bulk = bulk;
        this.ingestion = ingestion;
        this.dir = java.util.Objects.requireNonNull(
                properties.dropDir(), "only made when carnet.ingestion.drop-dir is set");
        this.maxWait = properties.dropWait();
        this.clock = clock;
        Files.createDirectories(dir.resolve("done"));
        Files.createDirectories(dir.resolve("failed"));
    }

    @Scheduled(fixedDelayString = "${carnet.ingestion.drop-interval:5s}")
    void poll() {
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")
                        || Sidecars.isSidecar(name)
                        || Files.getLastModifiedTime(file)
                                .toInstant()
                                .isAfter(Instant.now(clock).minusSeconds(2))) {
                    continue;
                }
                take(file, name);
            }
        } catch (IOException e) {
            log.error("Drop directory {} could not be read", dir, e);
        }
    }

    private void take(Path file, String name) throws IOException {
        Path sidecar = file.resolveSibling(name + Sidecars.SUFFIX);
        byte[] content = Sidecars.attach(
                name, Files.readAllBytes(file), side -> Files.exists(sidecar) ? Files.readAllBytes(sidecar) : null);
        List<Inbound> items = bulk.items(name, content);
        boolean mayWait =
                Files.getLastModifiedTime(file).toInstant().plus(maxWait).isAfter(Instant.now(clock));
        boolean filed = !items.isEmpty();
        for (Inbound item : items) {
            Ingestion.Outcome outcome = ingestion.receive(item, mayWait);
            if (outcome.status() == Ingestion.Status.WAITING) {
                log.debug("Drop directory: {} {}; tried again next round", name, outcome.reason());
                return; // left in place; its other items, filed or not, are found in the ledger next round
            }
            filed &= outcome.status() != Ingestion.Status.QUARANTINED && outcome.status() != Ingestion.Status.FAILED;
        }
        Path target = dir.resolve(filed ? "done" : "failed");
        Files.move(file, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        if (Files.exists(sidecar)) {
            Files.move(sidecar, target.resolve(sidecar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        log.info("Drop directory: {} {} ({} item(s))", name, filed ? "filed" : "moved to failed/", items.size());
    }
}
