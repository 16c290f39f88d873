package org.carnet.ingestion;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.springframework.stereotype.Component;

/**
 * Imports a directory tree or a zip archive of mixed files (FHIR Bundles, CDA, HL7 v2, PDF with their sidecar,
 * insurer CSV): each file goes to the connector that recognises it, one file (one CSV line) at a time, so memory
 * holds one item whatever the archive's size. Re-running an import files nothing twice (the ledger); an interrupted
 * import is finished by running it again. Progress goes to a stream, as a bar on a terminal.
 *
 * <p>Order: FHIR Bundles first (they bring the patients and the directory), then documents and messages in the order
 * they were produced where their format says it (a CDA's {@code effectiveTime}, MSH-7; read from each file's first
 * {@value #TIME_HEAD_BYTES} bytes; files without one first, by name), then insurer CSV files. An item that still
 * names a document not filed yet (a replacement or a deletion whose target comes later, or carries an earlier time)
 * waits: it is sent again after the other items, pass after pass while a pass files some of them (at most
 * {@value #MAX_WAIT_PASSES}); what still waits then is filed without waiting: a replacement as current naming its
 * target by unique id (ADR 0010), a deletion to the dead-letter list with its reason.
 */
@Component
class BulkImport {

    /** How much of each document or message is read to find its time before the import. */
    static final int TIME_HEAD_BYTES = 64 * 1024;

    /** Passes over the items that wait for a document, each filing what the previous ones let through. */
    static final int MAX_WAIT_PASSES = 10;

    private final Ingestion ingestion;

    BulkImport(Ingestion ingestion) {
        this.ingestion = ingestion;
    }

    /** What an import did. */
    public record Report(
            long files,
            long items,
            long bytes,
            Map<Ingestion.Status, Long> counts,
            List<String> problems,
            Duration took) {

        public long count(Ingestion.Status status) {
            return counts.getOrDefault(status, 0L);
        }
    }

    /** A file of an import, read lazily. */
    private interface Entry {
        String name();

        long size();

        byte[] read() throws IOException;

        /** The first bytes of the file, at most {@code max}. */
        byte[] head(int max) throws IOException;
    }

    /** An item of a file that waits for a document: read again (not kept in memory) when its turn comes. */
    private record Deferred(Entry entry, int index, String source) {}

    public Report run(Path path, PrintStream progress, boolean bar) throws IOException {
        long start = System.nanoTime();
        List<Entry> entries = inMessageTimeOrder(entries(path));
        Progress shown = new Progress(
                progress,
                bar,
                entries.size(),
                entries.stream().mapToLong(Entry::size).sum());
        Map<Ingestion.Status, Long> counts = new EnumMap<>(Ingestion.Status.class);
        List<String> problems = new ArrayList<>();
        Map<String, String> quarantined = new java.util.LinkedHashMap<>();
        List<Deferred> waiting = new ArrayList<>();
        long items = 0;
        for (Entry entry : entries) {
            byte[] content = entry.read();
            List<Inbound> inbound = items(entry.name(), content);
            if (inbound.isEmpty()) {
                problems.add(entry.name() + ": no connector reads this file");
            }
            for (int i = 0; i < inbound.size(); i++) {
                Inbound item = inbound.get(i);
                Ingestion.Outcome outcome = ingestion.receive(item, true);
                items++;
                if (outcome.status() == Ingestion.Status.WAITING) {
                    waiting.add(new Deferred(entry, i, item.source()));
                    counts.merge(Ingestion.Status.WAITING, 1L, Long::sum);
                } else {
                    count(outcome, item.source(), "", counts, problems, quarantined);
                }
            }
            shown.advance(entry.size(), counts);
        }
        for (int pass = 1; !waiting.isEmpty() && pass <= MAX_WAIT_PASSES; pass++) {
            List<Deferred> still = new ArrayList<>();
            for (Deferred deferred : waiting) {
                Ingestion.Outcome outcome = ingestion.receive(read(deferred), true);
                if (outcome.status() == Ingestion.Status.WAITING) {
                    still.add(deferred);
                } else {
                    counts.merge(Ingestion.Status.WAITING, -1L, Long::sum);
                    count(outcome, deferred.source(), "", counts, problems, quarantined);
                }
            }
            boolean progressed = still.size() < waiting.size();
            waiting = still;
            if (!progressed) {
                break;
            }
        }
        for (Deferred deferred : waiting) {
            // The document it names is not in this import (nor filed before): filed without waiting.
            Ingestion.Outcome outcome = ingestion.receive(read(deferred), false);
            counts.merge(Ingestion.Status.WAITING, -1L, Long::sum);
            count(
                    outcome,
                    deferred.source(),
                    " (the document it names was not filed by the end of the import)",
                    counts,
                    problems,
                    quarantined);
        }
        counts.remove(Ingestion.Status.WAITING);
        // A record may arrive later in the same import than an item about it: one more try for those.
        for (Map.Entry<String, String> kept : quarantined.entrySet()) {
            Ingestion.Outcome outcome = ingestion.replay(kept.getKey());
            counts.merge(Ingestion.Status.QUARANTINED, -1L, Long::sum);
            counts.merge(outcome.status(), 1L, Long::sum);
            if (outcome.reason() != null) {
                problems.add(kept.getValue() + ": " + outcome.status().name().toLowerCase(Locale.ROOT) + ", "
                        + outcome.reason());
            }
        }
        shown.done(counts);
        return new Report(
                entries.size(), items, shown.bytesDone, counts, problems, Duration.ofNanos(System.nanoTime() - start));
    }

    private static void count(
            Ingestion.Outcome outcome,
            String source,
            String context,
            Map<Ingestion.Status, Long> counts,
            List<String> problems,
            Map<String, String> quarantined) {
        counts.merge(outcome.status(), 1L, Long::sum);
        if (outcome.status() == Ingestion.Status.QUARANTINED) {
            quarantined.put(outcome.fingerprint(), source);
        } else if (outcome.reason() != null) {
            problems.add(source + ": " + outcome.status().name().toLowerCase(Locale.ROOT) + ", " + outcome.reason()
                    + context);
        }
    }

    private Inbound read(Deferred deferred) throws IOException {
        List<Inbound> inbound = items(deferred.entry().name(), deferred.entry().read());
        if (deferred.index() >= inbound.size()) {
            throw new IOException(deferred.entry().name() + " changed during the import");
        }
        return inbound.get(deferred.index());
    }

    /**
     * The entries in import order: by rank (FHIR, documents and messages, CSV), then within a rank the entries
     * without a time as they came (by name), then the others by their time; equal times keep their order.
     */
    private List<Entry> inMessageTimeOrder(List<Entry> entries) throws IOException {
        List<java.time.Instant> times = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            times.add(rank(entry.name()) == 1 ? messageTime(entry) : null);
        }
        return ordered(entries, e -> rank(e.name()), times);
    }

    /** {@code items} ordered by rank, then untimed ones in their order, then timed ones by time (stable). */
    static <T> List<T> ordered(List<T> items, java.util.function.ToIntFunction<T> rank, List<java.time.Instant> times) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            order.add(i);
        }
        order.sort(java.util.Comparator.<Integer>comparingInt(i -> rank.applyAsInt(items.get(i)))
                .thenComparing(i -> times.get(i) != null)
                .thenComparing(i -> times.get(i), java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()))
                .thenComparingInt(i -> i));
        return order.stream().map(items::get).toList();
    }

    /** The time the connector of a file reads from its first bytes, or null. */
    private java.time.@org.jspecify.annotations.Nullable Instant messageTime(Entry entry) throws IOException {
        byte[] head = entry.head(TIME_HEAD_BYTES);
        byte[] start = Arrays.copyOf(head, Math.min(head.length, 4096));
        for (Connector connector : ingestion.connectors().values()) {
            if (connector.accepts(entry.name(), start)) {
                return connector.messageTime(head);
            }
        }
        return null;
    }

    /** The items of one file: one per file, one per data line for an insurer CSV. */
    List<Inbound> items(String name, byte[] content) {
        byte[] head = Arrays.copyOf(content, Math.min(content.length, 4096));
        for (Connector connector : ingestion.connectors().values()) {
            if (connector.accepts(name, head)) {
                return connector instanceof LineConnector lines
                        ? lines.split(name, content)
                        : List.of(new Inbound(connector.name(), name, content));
            }
        }
        return List.of();
    }

    private static List<Entry> entries(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such file or directory");
        }
        if (Files.isDirectory(path)) {
            try (var files = Files.walk(path)) {
                return files.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().startsWith("."))
                        .filter(f -> !Sidecars.isSidecar(f.getFileName().toString()))
                        .sorted(java.util.Comparator.comparing(
                                        (Path f) -> rank(f.getFileName().toString()))
                                .thenComparing(java.util.Comparator.naturalOrder()))
                        .map(f -> (Entry) new FileEntry(path, f))
                        .toList();
            }
        }
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
            ZipFile zip = new ZipFile(path.toFile());
            return zip.stream()
                    .filter(e -> !e.isDirectory() && !Sidecars.isSidecar(e.getName()))
                    .sorted(java.util.Comparator.comparing((ZipEntry e) -> rank(e.getName()))
                            .thenComparing(ZipEntry::getName))
                    .map(e -> (Entry) new ZipEntryEntry(zip, e))
                    .toList();
        }
        return List.of(new FileEntry(path.getParent() == null ? Path.of(".") : path.getParent(), path));
    }

    /** FHIR Bundles first: they bring the patients and the directory the other items are matched against. */
    private static int rank(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".json") ? 0 : lower.endsWith(".csv") ? 2 : 1;
    }

    private record FileEntry(Path root, Path file) implements Entry {
        @Override
        public String name() {
            return root.relativize(file).toString();
        }

        @Override
        public long size() {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public byte[] head(int max) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                return in.readNBytes(max);
            }
        }

        @Override
        public byte[] read() throws IOException {
            byte[] content = Files.readAllBytes(file);
            return Sidecars.attach(
                    file.getFileName().toString(),
                    content,
                    sidecar -> Files.exists(file.resolveSibling(sidecar))
                            ? Files.readAllBytes(file.resolveSibling(sidecar))
                            : null);
        }
    }

    private record ZipEntryEntry(ZipFile zip, ZipEntry entry) implements Entry {
        @Override
        public String name() {
            return entry.getName();
        }

        @Override
        public long size() {
            return Math.max(0, entry.getSize());
        }

        @Override
        public byte[] head(int max) throws IOException {
            try (InputStream in = zip.getInputStream(entry)) {
                return in.readNBytes(max);
            }
        }

        @Override
        public byte[] read() throws IOException {
            byte[] content;
            try (InputStream in = zip.getInputStream(entry)) {
                content = in.readAllBytes();
            }
            return Sidecars.attach(entry.getName(), content, sidecar -> {
                String dir = entry.getName().contains("/")
                        ? entry.getName().substring(0, entry.getName().lastIndexOf('/') + 1)
                        : "";
                ZipEntry side = zip.getEntry(dir + sidecar);
                if (side == null) {
                    return null;
                }
                try (InputStream in = zip.getInputStream(side)) {
                    return in.readAllBytes();
                }
            });
        }
    }

    /** A progress bar on a terminal, or a line every 5 % elsewhere. */
    private static final class Progress {
        private final PrintStream out;
        private final boolean bar;
        private final long files;
        private final long bytes;
        private final long start = System.nanoTime();
        private long filesDone;
        private long bytesDone;
        private long lastShown;
        private int lastPercent = -1;

        Progress(PrintStream out, boolean bar, long files, long bytes) {
            this.out = out;
            this.bar = bar;
            this.files = files;
            this.bytes = bytes;
        }

        void advance(long size, Map<Ingestion.Status, Long> counts) {
            filesDone++;
            bytesDone += size;
            int percent = files == 0 ? 100 : (int) (filesDone * 100 / files);
            long now = System.nanoTime();
            if (bar ? now - lastShown > 200_000_000L || filesDone == files : percent / 5 != lastPercent / 5) {
                lastShown = now;
                lastPercent = percent;
                String line = String.format(
                        Locale.ROOT,
                        "%3d%% %d/%d files, %.1f MB/s, %s",
                        percent,
                        filesDone,
                        files,
                        bytesDone / 1e6 / Math.max(1e-3, (now - start) / 1e9),
                        summary(counts));
                if (bar) {
                    int width = 30;
                    int full = files == 0 ? width : (int) (filesDone * width / files);
                    out.print("\r[" + "#".repeat(full) + " ".repeat(width - full) + "] " + line);
                } else {
                    out.println(line);
                }
                out.flush();
            }
        }

        void done(Map<Ingestion.Status, Long> counts) {
            if (bar) {
                out.println();
            }
        }

        static String summary(Map<Ingestion.Status, Long> counts) {
            StringBuilder text = new StringBuilder();
            for (Ingestion.Status status : Ingestion.Status.values()) {
                text.append(text.isEmpty() ? "" : ", ")
                        .append(status.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                        .append(' ')
                        .append(counts.getOrDefault(status, 0L));
            }
            return text.toString();
        }
    }
}
