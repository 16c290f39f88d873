package org.carnet.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.carnet.record.IndexSources;
import org.carnet.record.RecordChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;

/**
 * Keeps the index a projection of the record. Each committed write's {@link RecordChanged} reaches
 * {@link #on(RecordChanged)} through Spring Modulith's JDBC event publication registry: the publication is completed
 * only once the index has committed, so a crash between the record's commit and the index's leaves the publication
 * outstanding and it is delivered again at the next start (the index catches up). Each change re-reads the
 * resource's current state, so delivering an event twice, or late, writes the same entries.
 *
 * <p>{@link #rebuild(LongConsumer)} reads the whole record again, patient by patient; an index that never finished a
 * rebuild (new, deleted, of another schema, or a rebuild interrupted) is rebuilt in the background at start, and
 * searches answer "not ready" until then. A rebuild and the events take one lock per page, so an event never
 * writes an older state over a newer one.
 */
@Service
public class SearchIndexing {

    private static final Logger log = LoggerFactory.getLogger(SearchIndexing.class);

    /** The listener's id in the event publication registry (stable across renames). */
    static final String LISTENER = "search.index";

    private final SearchEngine engine;
    private final Entries entries;
    private final IndexSources sources;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean rebuilding;
    private volatile long rebuildDone;
    private volatile long rebuildTotal;

    private final boolean catchUpAtStart;

    SearchIndexing(
            SearchEngine engine,
            Entries entries,
            IndexSources sources,
            @org.springframework.beans.factory.annotation.Value("${carnet.search.catch-up-at-start:true}")
                    boolean catchUpAtStart) {
        this.engine = engine;
        this.entries = entries;
        this.sources = sources;
        this.catchUpAtStart = catchUpAtStart;
    }

    @ApplicationModuleListener(id = LISTENER)
    void on(RecordChanged changed) {
        Set<String> keys = new LinkedHashSet<>();
        for (String resource : changed.resources()) {
            String[] parts = resource.split("/", 3);
            if (parts.length >= 2 && Entries.searched(parts[0])) {
                keys.add(parts[0] + "/" + parts[1]);
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            index(sources.current(keys));
        } finally {
            lock.unlock();
        }
        engine.commit();
    }

    private void index(List<IndexSources.Source> batch) {
        List<String> removed = new ArrayList<>();
        for (IndexSources.Source source : batch) {
            if (source.deleted() || source.patientId() == null) {
                removed.add(source.key());
            }
        }
        engine.apply(entries.of(batch), removed);
    }

    /** Reads the whole record into a new index; {@code progress} hears how many resources are done. */
    public Rebuilt rebuild(LongConsumer progress) {
        long started = System.nanoTime();
        rebuilding = true;
        try {
            rebuildTotal = sources.countFiled();
            rebuildDone = 0;
            engine.clear();
            for (String patient : sources.patients()) {
                sources.forEachOfPatient(patient, page -> {
                    lock.lock();
                    try {
                        index(page);
                    } finally {
                        lock.unlock();
                    }
                    rebuildDone += page.size();
                    progress.accept(rebuildDone);
                });
            }
            engine.markComplete();
            return new Rebuilt(
                    rebuildDone, engine.size(), (System.nanoTime() - started) / 1_000_000, engine.bytesOnDisk());
        } finally {
            rebuilding = false;
        }
    }

    /**
     * What a rebuild did.
     *
     * @param resources resources read from the record
     * @param entries entries the index holds after it
     */
    public record Rebuilt(long resources, long entries, long millis, long bytesOnDisk) {}

    /** Whether searches can be answered: the index holds the whole record. */
    public boolean ready() {
        return !rebuilding && engine.complete();
    }

    /** How far a running rebuild is, in percent (100 when none runs). */
    public int progressPercent() {
        long total = rebuildTotal;
        return !rebuilding || total == 0 ? 100 : (int) Math.min(99, rebuildDone * 100 / total);
    }

    /**
     * A new index over an empty record is complete as it is: what is written from now on reaches it through the
     * events. Checked before anything is written (the demo's first load, say), so a first start does not rebuild, right
     * after loading, everything its events have just indexed.
     */
    @jakarta.annotation.PostConstruct
    void emptyRecordNeedsNoRebuild() {
        if (catchUpAtStart && !engine.complete() && sources.countFiled() == 0) {
            engine.markComplete();
        }
    }

    /** An index that never finished a rebuild is rebuilt, off the start-up thread. */
    @EventListener(ApplicationReadyEvent.class)
    void catchUpAtStart() {
        if (engine.complete() || !catchUpAtStart) {
            return;
        }
        Thread rebuild = new Thread(
                () -> {
                    try {
                        long total = sources.countFiled();
                        log.info("Search index: rebuilding from the record ({} resources)", total);
                        long[] lastLogged = {0};
                        Rebuilt done = rebuild(n -> {
                            if (n - lastLogged[0] >= 10_000) {
                                lastLogged[0] = n;
                                log.info("Search index: {} of {} resources", n, total);
                            }
                        });
                        log.info(
                                "Search index: rebuilt, {} entries from {} resources in {} ms",
                                done.entries(),
                                done.resources(),
                                done.millis());
                    } catch (RuntimeException e) {
                        log.error("Search index: the rebuild failed; searches stay unavailable until it succeeds", e);
                    }
                },
                "carnet-search-rebuild");
        rebuild.setDaemon(true);
        rebuild.start();
    }
}
