package org.carnet.ingestion;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.carnet.audit.AuditRecord;
import org.carnet.audit.AuditTrail;
import org.carnet.document.DocumentIntake;
import org.carnet.record.Applied;
import org.carnet.record.RecordReads;
import org.carnet.record.RecordWrites;
import org.carnet.record.UnitLocks;
import org.carnet.record.WriteScope;
import org.carnet.record.Written;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Files inbound items exactly once (ADR 0011). For each item, in one transaction: its fingerprint is locked and
 * looked up in the ledger ({@code ingest_item}); an item seen and filed before is a no-op; otherwise its connector
 * reads it, the patient is matched (INS, then traits), the write unit goes through the document intake, the audit
 * entry is chained, and the ledger row is written. A crash anywhere leaves the item wholly filed or not at all.
 *
 * <p>An item that cannot be filed is not lost: unmatched patients go to <b>quarantine</b>, refused or failing items
 * to the <b>dead-letter</b> list, both with their payload and the reason, and {@link #replay} files them again once
 * the cause is fixed (a patient created, a connector corrected). Logs name connectors, sources and reasons, never
 * health data.
 */
@Component
public class Ingestion {

    private static final Logger log = LoggerFactory.getLogger(Ingestion.class);

    /** The actor of connectors' audit entries. */
    static final AuditRecord.Actor ACTOR =
            new AuditRecord.Actor("system:ingestion", "Carnet ingestion", "SYSTEM", null, null);

    private final Map<String, Connector> connectors = new LinkedHashMap<>();
    private final PatientMatcher matcher;
    private final DocumentIntake intake;
    private final RecordReads vault;
    private final RecordWrites writes;
    private final UnitLocks locks;
    private final AuditTrail audit;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Ingestion(
            List<Connector> connectors,
            PatientMatcher matcher,
            DocumentIntake intake,
            RecordReads vault,
            RecordWrites writes,
            UnitLocks locks,
            AuditTrail audit,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            Clock clock) {
        connectors.forEach(c -> this.connectors.put(c.name(), c));
        this.matcher = matcher;
        this.intake = intake;
        this.writes = writes;
        this.locks = locks;
        this.vault = vault;
        this.audit = audit;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * What became of an item. {@code WAITING}: it names a document not filed yet (a replacement's or a deletion's
     * target) and its caller let it wait: nothing was written, not even in the ledger; the caller sends it again later
     * (a bulk import at the end of its batch).
     */
    public enum Status {
        FILED,
        DUPLICATE,
        ALREADY_RECEIVED,
        QUARANTINED,
        FAILED,
        WAITING
    }

    /**
     * The result of receiving an item.
     *
     * @param resources what it filed (Type/id), or for a duplicate the document filed first
     * @param reason why it is quarantined or failed, null otherwise
     */
    public record Outcome(
            String fingerprint,
            Status status,
            @org.jspecify.annotations.Nullable String patientId,
            List<String> resources,
            @org.jspecify.annotations.Nullable String reason) {}

    /** The connectors, by name. */
    public Map<String, Connector> connectors() {
        return java.util.Collections.unmodifiableMap(connectors);
    }

    /** Files an item, once: the same bytes for the same connector a second time change nothing. */
    public Outcome receive(Inbound item) {
        return receive(item, false);
    }

    /**
     * Files an item, once; with {@code mayWait}, an item that names a document not filed yet (a replacement or a
     * deletion arriving before its target) is not filed but answered {@link Status#WAITING}, its transaction rolled
     * back, for the caller to send again later. Without it, such a replacement is filed as current naming its target
     * by unique id (ADR 0010) and such a deletion fails with its reason.
     */
    public Outcome receive(Inbound item, boolean mayWait) {
        Connector connector = connectors.get(item.connector());
        if (connector == null) {
            throw new IllegalArgumentException("No connector named " + item.connector());
        }
        String fingerprint = fingerprint(item);
        try {
            return transactions.execute(
                    status -> file(connector, item, fingerprint, mayWait ? waitingDirectory : directory));
        } catch (WaitingForDocument e) {
            return new Outcome(
                    fingerprint, Status.WAITING, null, List.of(), "waits for " + e.uniqueId + ", not filed yet");
        } catch (RuntimeException e) {
            String reason = reason(e);
            log.warn("{} item from {} failed: {}", item.connector(), item.source(), reason);
            transactions.executeWithoutResult(status -> park(fingerprint, item, Status.FAILED, reason, null));
            return new Outcome(fingerprint, Status.FAILED, null, List.of(), reason);
        }
    }

    /** Files again a quarantined or failed item from its kept payload. */
    public Outcome replay(String fingerprint) {
        record Kept(String connector, String source, byte[] payload, String status) {}
        Kept kept = jdbc
                .query(
                        "select connector, source, payload, status from ingest_item where fingerprint = ?",
                        (rs, n) -> new Kept(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4)),
                        fingerprint)
                .stream()
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No item with fingerprint " + fingerprint));
        if (kept.payload() == null) {
            throw new IllegalArgumentException("Item " + fingerprint + " is " + kept.status() + ": nothing to replay");
        }
        return receive(new Inbound(kept.connector(), kept.source(), kept.payload()));
    }

    private Outcome file(Connector connector, Inbound item, String fingerprint, Connector.Documents documents) {
        locks.serializeOn("ingest:" + fingerprint);
        Optional<Outcome> seen = seen(fingerprint);
        if (seen.isPresent()) {
            return seen.get();
        }
        Connector.Reading reading;
        try {
            reading = connector.read(item);
        } catch (Refused e) {
            park(fingerprint, item, Status.FAILED, "refused: " + e.getMessage(), null);
            return new Outcome(fingerprint, Status.FAILED, null, List.of(), "refused: " + e.getMessage());
        }
        if (reading.selfFiling() != null) {
            Connector.Applied applied = reading.selfFiling().apply();
            return filed(
                    item,
                    fingerprint,
                    applied.patientId(),
                    applied.resources(),
                    applied.duplicate(),
                    applied.byPatient());
        }
        // a reading that does not file itself has its patient and its unit
        PatientMatcher.Match match =
                matcher.match(java.util.Objects.requireNonNull(reading.patient(), "a reading names its patient"));
        Connector.Unit unit = java.util.Objects.requireNonNull(reading.unit(), "a reading has its unit");
        if (match.patientId() == null) {
            String reason =
                    java.util.Objects.requireNonNull(match.quarantineReason(), "a match without a patient says why");
            park(fingerprint, item, Status.QUARANTINED, reason, null);
            return new Outcome(fingerprint, Status.QUARANTINED, null, List.of(), reason);
        }
        Applied filed;
        try {
            filed = writes.apply(unit.changes(match.patientId(), documents), WriteScope.TRUSTED);
        } catch (Refused e) {
            park(fingerprint, item, Status.FAILED, "refused: " + e.getMessage(), match.patientId());
            return new Outcome(fingerprint, Status.FAILED, match.patientId(), List.of(), "refused: " + e.getMessage());
        }
        // A duplicate: its documents were filed before, and nothing else it carries changed anything (the
        // organisations of a CDA header, written again identical, are no-ops).
        boolean anyDuplicate = false;
        boolean onlyDuplicates = true;
        for (int c = 0; c < filed.written().size(); c++) {
            anyDuplicate |= filed.duplicate(c);
            onlyDuplicates &= filed.duplicate(c) || !filed.written().get(c).changed();
        }
        boolean duplicate = anyDuplicate && onlyDuplicates;
        List<String> resources = new ArrayList<>();
        Map<String, List<String>> byPatient = new LinkedHashMap<>();
        for (int c = 0; c < filed.written().size(); c++) {
            Written w = filed.written().get(c);
            if (duplicate && !filed.duplicate(c)) {
                continue; // the outcome names the documents filed first
            }
            resources.add(w.type() + "/" + w.id());
            byPatient
                    .computeIfAbsent(w.patientId() == null ? "" : w.patientId(), p -> new ArrayList<>())
                    .add(w.type() + "/" + w.id());
        }
        return filed(item, fingerprint, match.patientId(), resources, duplicate, byPatient);
    }

    /** The ledger row and the audit entry of a filed item, in its transaction. */
    private Outcome filed(
            Inbound item,
            String fingerprint,
            @org.jspecify.annotations.Nullable String patientId,
            List<String> resources,
            boolean duplicate,
            Map<String, List<String>> byPatient) {
        Status status = duplicate ? Status.DUPLICATE : Status.FILED;
        jdbc.update(
                """
                insert into ingest_item (fingerprint, connector, source, status, patient_id, resources)
                values (?, ?, ?, ?, ?, ?)
                on conflict (fingerprint) do update set status = excluded.status, reason = null, payload = null,
                    patient_id = excluded.patient_id, resources = excluded.resources,
                    attempts = ingest_item.attempts + 1, updated_at = now()""",
                fingerprint,
                item.connector(),
                item.source(),
                status.name(),
                patientId,
                resources.toArray(String[]::new));
        if (!duplicate) {
            // One entry per record the item wrote in, on that record's chain (the holder reads it).
            List<AuditRecord> entries = new ArrayList<>();
            byPatient.forEach((patient, written) -> entries.add(new AuditRecord(
                    patient.isEmpty() ? null : patient,
                    ACTOR,
                    "create",
                    "normal",
                    null,
                    true,
                    written,
                    item.connector() + " connector",
                    clock.instant())));
            audit.record(entries);
        }
        return new Outcome(fingerprint, status, patientId, resources, null);
    }

    /** What connectors may look up: filed documents, and practitioners by IdNat_PS. */
    private final Connector.Documents directory = new Connector.Documents() {
        @Override
        public @org.jspecify.annotations.Nullable String filedUnder(String uniqueId, String patientId) {
            return intake.filedUnder(uniqueId, patientId);
        }

        @Override
        public @org.jspecify.annotations.Nullable String practitioner(String idNat) {
            Set<String> ids = org.carnet.identity.Traits.practitionerIds(vault, idNat);
            return ids.size() == 1 ? ids.iterator().next() : null;
        }
    };

    /** The directory for an item that may wait: a target not filed yet puts the item back (rolled back). */
    private final Connector.Documents waitingDirectory = new Connector.Documents() {
        @Override
        public String filedUnder(String uniqueId, String patientId) {
            String filed = directory.filedUnder(uniqueId, patientId);
            if (filed == null) {
                throw new WaitingForDocument(uniqueId);
            }
            return filed;
        }

        @Override
        public @org.jspecify.annotations.Nullable String practitioner(String idNat) {
            return directory.practitioner(idNat);
        }
    };

    /** Unwinds an item's transaction when it names a document not filed yet; a signal, not an error. */
    private static final class WaitingForDocument extends RuntimeException {
        private final String uniqueId;

        WaitingForDocument(String uniqueId) {
            super("waits for " + uniqueId, null, false, false);
            this.uniqueId = uniqueId;
        }
    }

    private Optional<Outcome> seen(String fingerprint) {
        return jdbc
                .query(
                        "select status, patient_id, resources from ingest_item where fingerprint = ?",
                        (rs, n) -> {
                            Array array = rs.getArray(3);
                            List<String> resources = List.of((String[]) array.getArray());
                            return new Outcome(
                                    fingerprint, Status.valueOf(rs.getString(1)), rs.getString(2), resources, null);
                        },
                        fingerprint)
                .stream()
                .findFirst()
                .filter(o -> o.status() == Status.FILED || o.status() == Status.DUPLICATE)
                .map(o -> new Outcome(fingerprint, Status.ALREADY_RECEIVED, o.patientId(), o.resources(), null));
    }

    private void park(
            String fingerprint,
            Inbound item,
            Status status,
            String reason,
            @org.jspecify.annotations.Nullable String patientId) {
        jdbc.update(
                """
                insert into ingest_item (fingerprint, connector, source, status, reason, patient_id, payload)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (fingerprint) do update set status = excluded.status, reason = excluded.reason,
                    payload = excluded.payload, attempts = ingest_item.attempts + 1, updated_at = now()""", fingerprint, item.connector(), item.source(), status.name(), reason, patientId, item.content());
    }

    /** An item waiting in quarantine or the dead-letter list (no payload: ids and reasons only). */
    public record Parked(
            String fingerprint,
            String connector,
            String source,
            String status,
            String reason,
            int attempts,
            Instant updated) {}

    /** The items waiting in quarantine or the dead-letter list, oldest first. */
    public List<Parked> parked(int limit) {
        return jdbc.query(
                """
                select fingerprint, connector, source, status, reason, attempts, updated_at from ingest_item
                 where status in ('QUARANTINED', 'FAILED') order by updated_at limit ?""",
                (rs, n) -> new Parked(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getInt(6),
                        rs.getTimestamp(7).toInstant()),
                limit);
    }

    /**
     * A connector's health.
     *
     * @param backlog items waiting in quarantine or the dead-letter list
     * @param errorRate failed or quarantined share of the items of the last 24 hours
     */
    public record Health(
            String connector,
            @org.jspecify.annotations.Nullable Instant lastSuccess,
            long filed,
            long backlog,
            double errorRate) {}

    public List<Health> health() {
        Instant since = clock.instant().minus(Duration.ofHours(24));
        List<Health> health = new ArrayList<>();
        for (String name : connectors.keySet()) {
            health.add(jdbc.queryForObject(
                    """
                    select max(updated_at) filter (where status in ('FILED', 'DUPLICATE')),
                           count(*) filter (where status in ('FILED', 'DUPLICATE')),
                           count(*) filter (where status in ('QUARANTINED', 'FAILED')),
                           count(*) filter (where updated_at >= ?),
                           count(*) filter (where updated_at >= ? and status in ('QUARANTINED', 'FAILED'))
                      from ingest_item where connector = ?""",
                    (rs, n) -> new Health(
                            name,
                            rs.getTimestamp(1) == null
                                    ? null
                                    : rs.getTimestamp(1).toInstant(),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getLong(4) == 0 ? 0 : (double) rs.getLong(5) / rs.getLong(4)),
                    java.sql.Timestamp.from(since),
                    java.sql.Timestamp.from(since),
                    name));
        }
        return health;
    }

    static String fingerprint(Inbound item) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(item.connector().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update((byte) 0);
            return HexFormat.of().formatHex(digest.digest(item.content()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reason of a failure as an operator reads it: the message of the FHIR rule or error, no stack trace. */
    private static String reason(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.replaceFirst("^HAPI-\\d+: ", "");
        return message.length() > 1000 ? message.substring(0, 1000) : message;
    }
}
