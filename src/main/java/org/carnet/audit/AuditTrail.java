package org.carnet.audit;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.carnet.access.AccessRules;
import org.carnet.access.SignedIn;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The audit trail. Entries are AuditEvents stored as text in a hash chain per patient ({@code ''} for entries about no
 * record): each entry's hash is {@code sha256(previous hash || text)} and a head row holds the last number and hash, so
 * {@link #verify} detects a changed, removed or cut-off entry. Writing joins the caller's transaction, so an action
 * and its entry commit together. Thread-safe; writers of one patient's chain are serialised by its head row.
 */
@Service
public class AuditTrail {

    /** The chain of entries about no patient's record (sign-ins, directory work). */
    public static final String NO_PATIENT = "";

    private static final Set<String> READS =
            Set.of("read", "vread", "search-type", "history-instance", "history-type", "everything");

    private final JdbcTemplate jdbc;
    private final FhirContext context;
    private final AccessRules rules;
    private final ApplicationEventPublisher events;
    private final org.carnet.record.RecordReads vault;
    /** Records ({@code patient|actor}) a professional is known to have accessed: no look-up needed again. */
    private final java.util.Set<String> accessed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Patient ids known to exist (a Patient is never removed from the store, only marked deleted). */
    private final java.util.Set<String> knownPatients = java.util.concurrent.ConcurrentHashMap.newKeySet();

    AuditTrail(
            JdbcTemplate jdbc,
            FhirContext context,
            AccessRules rules,
            org.carnet.record.RecordReads vault,
            ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
        this.vault = vault;
        this.context = context;
        this.rules = rules;
    }

    /** Writes the entries (and the notifications they call for), in the current transaction if there is one. */
    @Transactional
    public void record(List<AuditRecord> records) {
        for (AuditRecord record : records) {
            // A request about a patient that does not exist (a random id) is audited as asked, on the platform chain:
            // no chain, head or notification is made for a record that is not there.
            String patient =
                    record.patientId() == null || !isPatient(record.patientId()) ? NO_PATIENT : record.patientId();
            boolean professional = "PROFESSIONAL".equals(record.actor().kind()) && !patient.isEmpty();
            String pair = patient + "|" + record.actor().key();
            boolean firstAccess = professional
                    && record.success()
                    && !accessed.contains(pair)
                    && jdbc.queryForList(
                                    "select 1 from audit_entry where patient_id = ? and actor = ? limit 1",
                                    patient,
                                    record.actor().key())
                            .isEmpty();
            if (professional && record.success()) {
                if (accessed.size() > 1_000_000) {
                    accessed.clear();
                }
                accessed.add(pair);
            }
            String text = AuditEvents.json(record);
            jdbc.update(
                    """
                    with head as (
                      insert into audit_head as h (patient_id, seq, hash) values (?, 1, sha256(convert_to(?, 'UTF8')))
                      on conflict (patient_id) do update set seq = h.seq + 1, hash = sha256(h.hash || convert_to(?, 'UTF8'))
                      returning seq, hash)
                    insert into audit_entry (patient_id, seq, recorded, actor, content, hash)
                    select ?, seq, ?, ?, ?, hash from head""",
                    patient,
                    text,
                    text,
                    patient,
                    Timestamp.from(record.at()),
                    record.actor().key(),
                    text);
            if (professional && record.success()) {
                boolean emergency = record.mode() != null && !"normal".equals(record.mode());
                if (emergency || (firstAccess && READS.contains(record.interaction()))) {
                    String sentence = TrailText.of(context.newJsonParser().parseResource(AuditEvent.class, text));
                    if (emergency) {
                        notify(patient, record, "emergency-access", sentence);
                    } else {
                        notify(
                                patient,
                                record,
                                "first-access",
                                record.actor().name() + " accède à votre dossier pour la première fois. " + sentence);
                    }
                }
            }
        }
    }

    /** Whether a Patient of that id is in the store (deleted or not: its chain stays); kept once known. */
    private boolean isPatient(String id) {
        if (knownPatients.contains(id)) {
            return true;
        }
        boolean exists = vault.patientOf("Patient", id).isPresent();
        if (exists) {
            if (knownPatients.size() > 1_000_000) {
                knownPatients.clear();
            }
            knownPatients.add(id);
        }
        return exists;
    }

    /**
     * The holder and the médecins traitants hear of the access once this entry commits ({@link Notifications}); who
     * they are is decided now, with the entry: a médecin traitant the holder blocked is told nothing more.
     */
    private void notify(String patient, AuditRecord record, String kind, String message) {
        List<String> recipients = new ArrayList<>();
        recipients.add("Patient/" + patient);
        rules.traitants(patient).stream()
                .map(actor -> "idnat:" + actor)
                .filter(r -> !r.equals(record.actor().key()))
                .sorted()
                .forEach(recipients::add);
        events.publishEvent(new NotificationDue(UUID.randomUUID(), patient, recipients, kind, message, record.at()));
    }

    /** A sign-in (a new token accepted) is an entry of the platform chain. */
    @EventListener
    void on(SignedIn signedIn) {
        record(List.of(new AuditRecord(
                null,
                AuditRecord.Actor.of(signedIn.caller()),
                "sign-in",
                null,
                null,
                true,
                List.of(),
                null,
                signedIn.at())));
    }

    /** One entry of a trail: the AuditEvent and its sentence in French. */
    public record Entry(
            long seq,
            AuditEvent event,
            @org.jspecify.annotations.Nullable String text) {}

    /** A patient's trail, newest first, whole (for trusted systems and the operator's checks). */
    public List<Entry> trail(String patientId, int limit) {
        return trail(patientId, limit, null);
    }

    /**
     * A patient's trail as a reader may see it, newest first: the resources it names are kept only when
     * {@code visible} says the reader may see them (and counted accordingly), and technical details (search
     * queries) are dropped, so a holder's trail never reveals what is hidden from the holder.
     *
     * @param visible given every resource reference of the entries, returns those the reader may see; null: all
     */
    public List<Entry> trail(
            String patientId,
            int limit,
            java.util.function.@org.jspecify.annotations.Nullable Function<java.util.Set<String>, java.util.Set<String>>
                    visible) {
        List<Entry> entries = jdbc.query(
                "select seq, content from audit_entry where patient_id = ? order by seq desc limit ?",
                (rs, n) -> {
                    AuditEvent event = context.newJsonParser().parseResource(AuditEvent.class, rs.getString(2));
                    event.setId("chain-" + rs.getLong(1));
                    return new Entry(rs.getLong(1), event, null);
                },
                patientId,
                limit);
        java.util.Set<String> shown = null;
        if (visible != null) {
            java.util.Set<String> named = new java.util.HashSet<>();
            entries.forEach(e -> e.event().getEntity().stream()
                    .filter(x -> x.hasWhat()
                            && x.getWhat().getReference() != null
                            && !x.getRole().hasCode())
                    .forEach(x -> named.add(x.getWhat().getReference())));
            shown = visible.apply(named);
        }
        List<Entry> out = new ArrayList<>();
        for (Entry entry : entries) {
            AuditEvent event = entry.event();
            if (shown != null) {
                java.util.Set<String> keep = shown;
                event.getEntity()
                        .removeIf(x -> !x.getRole().hasCode()
                                && x.hasWhat()
                                && x.getWhat().getReference() != null
                                && !keep.contains(x.getWhat().getReference()));
                if (event.getSubtypeFirstRep().getCode() != null
                        && event.getSubtypeFirstRep().getCode().startsWith("search")) {
                    // A search query may name what the reader cannot see.
                    event.getEntity().removeIf(x -> !x.hasWhat() || x.getWhat().getReference() == null);
                }
                long count = event.getEntity().stream()
                        .filter(x -> !x.getRole().hasCode()
                                && x.hasWhat()
                                && x.getWhat().getReference() != null)
                        .count();
                event.getMeta().getTag().stream()
                        .filter(t -> t.getSystem().endsWith("-count"))
                        .forEach(t -> t.setCode(Long.toString(count)));
            }
            out.add(new Entry(entry.seq(), event, TrailText.of(event)));
        }
        return out;
    }

    /**
     * The result of checking a chain.
     *
     * @param intact whether every entry is present, in order, unchanged, up to the head
     * @param entries how many entries were checked
     * @param firstBroken the first sequence number that fails, or null
     * @param problem what is wrong, or null
     */
    public record Verification(
            boolean intact,
            long entries,
            @org.jspecify.annotations.Nullable Long firstBroken,
            @org.jspecify.annotations.Nullable String problem) {}

    /** Recomputes a patient's chain from its first entry and compares it with every stored hash and the head. */
    @Transactional(readOnly = true)
    public Verification verify(String patientId) {
        MessageDigest sha256 = sha256();
        byte[][] previous = {null};
        long[] expected = {1};
        Verification[] broken = {null};
        jdbc.query(
                "select seq, content, hash from audit_entry where patient_id = ? order by seq",
                rs -> {
                    if (broken[0] != null) {
                        return;
                    }
                    long seq = rs.getLong(1);
                    if (seq != expected[0]) {
                        broken[0] = new Verification(
                                false, expected[0] - 1, expected[0], "entry " + expected[0] + " is missing");
                        return;
                    }
                    sha256.reset();
                    if (previous[0] != null) {
                        sha256.update(previous[0]);
                    }
                    byte[] hash = sha256.digest(rs.getString(2).getBytes(StandardCharsets.UTF_8));
                    if (!Arrays.equals(hash, rs.getBytes(3))) {
                        broken[0] = new Verification(false, seq, seq, "entry " + seq + " was changed");
                        return;
                    }
                    previous[0] = hash;
                    expected[0]++;
                },
                patientId);
        if (broken[0] != null) {
            return broken[0];
        }
        long count = expected[0] - 1;
        List<byte[]> head = jdbc.query(
                "select seq, hash from audit_head where patient_id = ?",
                (rs, n) -> rs.getLong(1) == count ? rs.getBytes(2) : new byte[0],
                patientId);
        if (head.isEmpty() ? count != 0 : !Arrays.equals(head.get(0), previous[0])) {
            return new Verification(false, count, count + 1, "the chain does not end where its head says");
        }
        return new Verification(true, count, null, null);
    }

    /** A notification. */
    public record Notification(long id, String patientId, Instant created, String kind, String message) {}

    /** The notifications of a recipient ({@code Patient/<id>} or {@code idnat:<IdNat_PS>}), newest first. */
    public List<Notification> notifications(String recipient, int limit) {
        return jdbc.query(
                "select id, patient_id, created, kind, message from notification where recipient = ? order by id desc limit ?",
                (rs, n) -> new Notification(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getTimestamp(3).toInstant(),
                        rs.getString(4),
                        rs.getString(5)),
                recipient,
                limit);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
