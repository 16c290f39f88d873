package org.carnet.record;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores one write unit: locks the rows it changes, checks versions, references, visibility and the
 * {@link ResourceRules}, writes the rows with their search-index rows and publishes {@link RecordChanged}, all in
 * the caller's transaction. Only {@link RecordWrites} calls it, after the {@link UnitRules} of every module.
 *
 * <p>Thread-safe. Concurrent writers of the same resource are serialised by row locks; a stale
 * {@code If-Match} version is refused with HTTP 412, a concurrent create of the same client id with 409.
 */
@Component
class UnitWriter {

    private final JdbcTemplate jdbc;
    private final FhirContext context;
    private final ApplicationEventPublisher events;
    private final RecordReads reads;
    private final SearchIndexer indexer;
    private final IndexWriter indexWriter;
    private final int maxResourceBytes;
    private final List<ResourceRules> rules;
    private final Clock clock;

    UnitWriter(
            JdbcTemplate jdbc,
            FhirContext context,
            ApplicationEventPublisher events,
            SearchParameters parameters,
            RecordReads reads,
            List<ResourceRules> rules,
            Clock clock,
            @Value("${carnet.fhir.max-resource-bytes:2097152}") int maxResourceBytes) {
        this.jdbc = jdbc;
        this.context = context;
        this.events = events;
        this.reads = reads;
        this.rules = List.copyOf(rules);
        this.clock = clock;
        this.indexer = new SearchIndexer(context, parameters);
        this.indexWriter = new IndexWriter(jdbc);
        this.maxResourceBytes = maxResourceBytes;
    }

    /**
     * Applies a unit of changes for a caller: a change to a record the caller cannot see is refused as unknown
     * (404), a change the caller can see but not make is forbidden (403); either way nothing of the unit is kept.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    List<Written> apply(List<Change> changes, Visibility visibility) {
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        Map<String, Existing> existing = lockExisting(changes);
        forgetHidden(existing, visibility);
        List<Pending> pending = new ArrayList<>(changes.size());
        Set<String> touched = new HashSet<>();
        Map<String, String> conditional = new HashMap<>();
        long[] newPks = allocatePks(changes.stream()
                        .filter(c -> c instanceof Change.Create)
                        .count()
                + changes.stream()
                        .filter(c -> c instanceof Change.Update u
                                && !existing.containsKey(key(
                                        u.type(), u.resource().getIdElement().getIdPart())))
                        .count());
        int nextPk = 0;
        // One result per change, in order; a change that changes nothing (an identical update, the delete of a
        // deleted resource) reports the current version and writes no row.
        Written[] results = new Written[changes.size()];
        List<Integer> pendingChange = new ArrayList<>();
        for (int c = 0; c < changes.size(); c++) {
            Change change = changes.get(c);
            Pending row = switch (change) {
                case Change.Create create -> {
                    Resource resource = create.resource();
                    if (!resource.getIdElement().hasIdPart()) {
                        resource.setId(UUID.randomUUID().toString());
                    }
                    yield stamp(newPks[nextPk++], resource, 1, now, true, conditional, visibility);
                }
                case Change.Update update -> {
                    Resource resource = update.resource();
                    String id = resource.getIdElement().getIdPart();
                    if (!References.isValidId(id)) {
                        throw new InvalidRequestException("Invalid resource id '" + id + "'");
                    }
                    Existing current = existing.get(key(update.type(), id));
                    if (current == null && !visibility.unrestricted()) {
                        // Creating under a chosen id would tell a caller whether a hidden resource holds that id.
                        throw new ResourceNotFoundException(update.type() + "/" + id + " is not known");
                    }
                    if (current == null) {
                        if (update.expectedVersion() != null) {
                            throw new PreconditionFailedException(
                                    update.type() + "/" + id + " does not exist, so If-Match cannot hold");
                        }
                        yield stamp(newPks[nextPk++], resource, 1, now, true, conditional, visibility);
                    }
                    if (update.expectedVersion() != null && update.expectedVersion() != current.version()) {
                        throw new PreconditionFailedException("Version conflict on " + update.type() + "/" + id
                                + ": If-Match names version " + update.expectedVersion() + " but the current one is "
                                + current.version());
                    }
                    if (isUnchanged(resource, current, conditional, visibility)) {
                        results[c] = new Written(
                                update.type(),
                                id,
                                current.version(),
                                current.lastUpdated(),
                                resource,
                                false,
                                false,
                                current.patientId());
                        yield null;
                    }
                    yield stamp(current.pk(), resource, current.version() + 1, now, false, conditional, visibility);
                }
                case Change.Delete delete -> {
                    Existing current = existing.get(key(delete.type(), delete.id()));
                    if (current == null) {
                        throw new ResourceNotFoundException(delete.type() + "/" + delete.id() + " does not exist");
                    }
                    if (current.deleted()) {
                        results[c] = new Written(
                                delete.type(),
                                delete.id(),
                                current.version(),
                                current.lastUpdated(),
                                null,
                                false,
                                false,
                                current.patientId());
                        yield null;
                    }
                    yield new Pending(
                            current.pk(),
                            delete.type(),
                            delete.id(),
                            current.version() + 1,
                            now,
                            null,
                            null,
                            IndexRows.deletion(current.patientId()),
                            false);
                }
            };
            if (row == null) {
                continue;
            }
            if (!touched.add(key(row.type(), row.id()))) {
                throw new InvalidRequestException(
                        "The same resource " + row.type() + "/" + row.id() + " is written twice in one unit");
            }
            pending.add(row);
            pendingChange.add(c);
        }
        checkWritable(pending, existing, visibility);
        checkReferences(pending, touched, visibility);
        checkNotReferenced(pending, visibility);
        List<Change> alongside = alongside(pending, existing);
        write(pending, existing);
        if (!pending.isEmpty()) {
            events.publishEvent(new RecordChanged(pending.stream()
                    .map(p -> p.type() + "/" + p.id() + "/_history/" + p.version())
                    .toList()));
        }
        if (!alongside.isEmpty()) {
            apply(alongside, Visibility.UNRESTRICTED);
        }
        for (int i = 0; i < pending.size(); i++) {
            Pending row = pending.get(i);
            results[pendingChange.get(i)] = new Written(
                    row.type(),
                    row.id(),
                    row.version(),
                    row.lastUpdated(),
                    row.resource(),
                    row.created(),
                    true,
                    row.patientId());
        }
        return List.of(results);
    }

    /**
     * Drops the existing rows the caller may not see, so that every later check (versions, no-op, deletion) answers
     * for them exactly as for a resource that does not exist.
     */
    private void forgetHidden(Map<String, Existing> existing, Visibility visibility) {
        if (visibility.unrestricted() || existing.isEmpty()) {
            return;
        }
        Set<Long> shown =
                reads.visible(existing.values().stream().map(Existing::pk).toList(), visibility);
        existing.values().removeIf(e -> !shown.contains(e.pk()));
    }

    private void checkWritable(List<Pending> pending, Map<String, Existing> existing, Visibility visibility) {
        if (visibility.unrestricted()) {
            return;
        }
        for (Pending row : pending) {
            Existing current = existing.get(key(row.type(), row.id()));
            if (current != null
                    && !current.deleted()
                    && row.resource() != null
                    && !current.labels().equals(labels(row.rows().accessTags(row.type())))) {
                // Masking is the holder's (and an author's visibility flags the producer's): through operations only.
                throw new ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException(
                        "Visibility labels (meta.security) change only through $mask and $unmask");
            }
            String before = current == null || current.deleted() ? null : current.patientId();
            for (String patient : current == null || current.deleted()
                    ? java.util.Collections.singletonList(row.patientId())
                    : java.util.Arrays.asList(before, row.patientId())) {
                if (patient != null && !visibility.opens(patient)) {
                    throw new ResourceNotFoundException("Patient/" + patient + " is not known");
                }
                if (!visibility.mayWrite(row.type(), patient)) {
                    throw new ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException(
                            "You may not write " + row.type() + (patient == null ? " resources" : " in this record"));
                }
            }
        }
    }

    /** What the rules want written with this unit; computed before the unit's rows replace the previous versions. */
    private List<Change> alongside(List<Pending> pending, Map<String, Existing> existing) {
        List<Change> extra = new ArrayList<>();
        for (Pending row : pending) {
            if (row.resource() == null) {
                continue;
            }
            List<ResourceRules> watching =
                    rules.stream().filter(r -> r.watches(row.type())).toList();
            if (watching.isEmpty()) {
                continue;
            }
            Existing current = existing.get(key(row.type(), row.id()));
            Resource previous = current == null || current.deleted() || current.json() == null
                    ? null
                    : (Resource) parser().parseResource(current.json());
            for (ResourceRules rule : watching) {
                rule.alongside(previous, row.resource()).forEach(r -> extra.add(new Change.Create(r)));
            }
        }
        return extra;
    }

    /**
     * Replaces conditional references ({@code Organization?identifier=x|y}) by the one resource they match;
     * none or several is a client error.
     */
    private void resolveConditionalReferences(Resource resource, Map<String, String> resolved, Visibility visibility) {
        for (Reference reference : context.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            String value = reference.getReference();
            int question = value == null ? -1 : value.indexOf('?');
            if (question <= 0 || !SupportedTypes.isSupported(value.substring(0, question))) {
                continue;
            }
            reference.setReference(resolved.computeIfAbsent(value, v -> resolveConditionalReference(v, visibility)));
        }
    }

    private String resolveConditionalReference(String value, Visibility visibility) {
        int question = value.indexOf('?');
        String type = value.substring(0, question);
        List<Long> matches = reads.search(type, value.substring(question + 1), visibility);
        if (matches.size() != 1) {
            throw new PreconditionFailedException("Conditional reference '" + value + "' matches "
                    + (matches.isEmpty() ? "no resource" : matches.size() + " resources")
                    + "; it must match exactly one");
        }
        String id = jdbc.queryForObject("select res_id from resource where pk = ?", String.class, matches.get(0));
        return type + "/" + id;
    }

    /**
     * True when {@code resource} says exactly what the current version says: encoded with the current version's
     * meta, it is byte-for-byte the stored JSON (which is this encoder's own output). Re-sending the same data is
     * then a no-op, not a new version.
     */
    private boolean isUnchanged(
            Resource resource, Existing current, Map<String, String> conditional, Visibility visibility) {
        if (current.deleted() || current.json() == null) {
            return false;
        }
        resolveConditionalReferences(resource, conditional, visibility);
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        resource.setId(type + "/" + id + "/_history/" + current.version());
        resource.getMeta()
                .setVersionId(Integer.toString(current.version()))
                .setLastUpdated(Date.from(current.lastUpdated()));
        return parser().encodeResourceToString(resource).equals(current.json());
    }

    private Pending stamp(
            long pk,
            Resource resource,
            int version,
            Instant now,
            boolean created,
            Map<String, String> conditional,
            Visibility visibility) {
        resolveConditionalReferences(resource, conditional, visibility);
        rules.forEach(rule -> rule.check(resource));
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        resource.setId(type + "/" + id + "/_history/" + version);
        resource.getMeta().setVersionId(Integer.toString(version)).setLastUpdated(Date.from(now));
        IndexRows rows = indexer.index(resource);
        String json = parser().encodeResourceToString(resource);
        checkStorable(type, json);
        return new Pending(pk, type, id, version, now, resource, json, rows, created);
    }

    /**
     * A resource is stored whole and served whole: one of more than {@code carnet.fhir.max-resource-bytes} (documents'
     * contents are in the blob store, not in it) is refused, so no writer can make ordinary reads and searches
     * carry hundreds of megabytes. PostgreSQL cannot store a NUL character; a value holding one is a client's
     * mistake, answered as such.
     */
    private void checkStorable(String type, String json) {
        if (json.length() > maxResourceBytes || utf8Length(json) > maxResourceBytes) {
            throw new ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException("This " + type + " is larger than "
                    + maxResourceBytes + " bytes once encoded: a resource is stored and served whole (a document's "
                    + "content goes to Binary, outside the resource)");
        }
        if (holdsNul(json)) {
            throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException("A value of this " + type
                    + " holds a NUL character (\\u0000), which is not allowed in FHIR strings");
        }
    }

    /**
     * Every literal reference must be well-formed and point to a live resource in the store or in this unit. A
     * reference to a resource the caller may not see is answered exactly as one to a resource that does not exist.
     */
    private void checkReferences(List<Pending> pending, Set<String> inUnit, Visibility visibility) {
        Set<String> deletedInUnit = new HashSet<>();
        Set<String> wanted = new HashSet<>();
        for (Pending row : pending) {
            if (row.resource() == null) {
                deletedInUnit.add(key(row.type(), row.id()));
                continue;
            }
            for (Reference reference :
                    context.newTerser().getAllPopulatedChildElementsOfType(row.resource(), Reference.class)) {
                String value = reference.getReference();
                if (value == null
                        || value.startsWith("#")
                        || value.startsWith("http://")
                        || value.startsWith("https://")) {
                    continue;
                }
                if (value.startsWith("urn:")) {
                    throw new UnprocessableEntityException("Reference '" + value + "' in " + row.type()
                            + " does not resolve: urn:uuid references are resolved only inside a transaction Bundle");
                }
                var local = References.parseLocal(value)
                        .orElseThrow(() -> new UnprocessableEntityException(
                                "Invalid reference '" + value + "' in " + row.type() + ": expected Type/id"));
                String target = key(local.type(), local.id());
                if (deletedInUnit.contains(target)) {
                    throw new UnprocessableEntityException("Reference '" + value + "' in " + row.type()
                            + " points to a resource deleted in the same unit");
                }
                if (!inUnit.contains(target)) {
                    wanted.add(target);
                }
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        Set<String> found = reads.visibleReferences(wanted, visibility);
        for (String target : wanted) {
            if (!found.contains(target)) {
                throw new UnprocessableEntityException("Reference '" + target + "' does not resolve: no such resource");
            }
        }
    }

    /**
     * A resource others the caller sees still point to cannot be deleted (HTTP 409). The audit trail and provenance
     * are the exception: they record facts about resources, deleted ones included.
     */
    private void checkNotReferenced(List<Pending> pending, Visibility visibility) {
        List<Pending> deletions =
                pending.stream().filter(p -> p.resource() == null).toList();
        if (deletions.isEmpty()) {
            return;
        }
        Set<Long> deletedPks = new HashSet<>();
        deletions.forEach(d -> deletedPks.add(d.pk()));
        for (Pending deletion : deletions) {
            // Only referrers the caller may see hold a deletion back: a refusal because of a hidden one would tell the
            // caller it exists (ADR 0012). A hidden referrer then names a deleted resource, whose versions stay.
            List<Object> args =
                    new ArrayList<>(List.of(deletion.type(), deletion.id(), deletedPks.toArray(Long[]::new)));
            String visible = VisibilitySql.condition(visibility, "r", args);
            List<String> referrers = jdbc.queryForList("""
                    select r.res_type || '/' || r.res_id from idx_reference x join resource r on r.pk = x.pk
                     where x.target_type = ? and x.target_id = ? and not r.deleted and r.pk <> all(?)
                       and r.res_type not in ('AuditEvent', 'Provenance') and\s""" + visible + " limit 3", String.class, args.toArray());
            if (!referrers.isEmpty()) {
                throw new ResourceVersionConflictException("Cannot delete " + deletion.type() + "/" + deletion.id()
                        + ": still referenced by " + String.join(", ", referrers));
            }
        }
    }

    private Map<String, Existing> lockExisting(List<Change> changes) {
        List<String[]> keys = new ArrayList<>();
        for (Change change : changes) {
            switch (change) {
                case Change.Update u ->
                    keys.add(new String[] {u.type(), u.resource().getIdElement().getIdPart()});
                case Change.Delete d -> keys.add(new String[] {d.type(), d.id()});
                case Change.Create c -> {}
            }
        }
        Map<String, Existing> existing = new HashMap<>();
        if (keys.isEmpty()) {
            return existing;
        }
        jdbc.query(
                """
                select r.pk, r.res_type, r.res_id, r.version, r.deleted, r.last_updated, r.content::text, r.patient_id,
                       r.access_tags
                  from resource r
                  join unnest(?::text[], ?::text[]) as w(t, i) on r.res_type = w.t and r.res_id = w.i
                 order by r.pk for update of r""",
                rs -> {
                    existing.put(
                            key(rs.getString(2), rs.getString(3)),
                            new Existing(
                                    rs.getLong(1),
                                    rs.getInt(4),
                                    rs.getBoolean(5),
                                    rs.getTimestamp(6).toInstant(),
                                    rs.getString(7),
                                    rs.getString(8),
                                    labels((String[]) rs.getArray(9).getArray())));
                },
                keys.stream().map(k -> k[0]).toArray(String[]::new),
                keys.stream().map(k -> k[1]).toArray(String[]::new));
        return existing;
    }

    private long[] allocatePks(long count) {
        if (count == 0) {
            return new long[0];
        }
        return jdbc
                .queryForList("select nextval('resource_pk_seq') from generate_series(1, ?)", Long.class, count)
                .stream()
                .mapToLong(Long::longValue)
                .toArray();
    }

    private void write(List<Pending> pending, Map<String, Existing> existing) {
        List<Pending> inserts = pending.stream().filter(Pending::created).toList();
        List<Pending> updates = pending.stream().filter(p -> !p.created()).toList();
        if (!updates.isEmpty()) {
            Long[] pks = updates.stream().map(Pending::pk).toArray(Long[]::new);
            jdbc.update("""
                    insert into resource_history (pk, version, patient_id, last_updated, deleted, content)
                    select pk, version, patient_id, last_updated, deleted, content from resource where pk = any(?)""", (Object) pks);
            indexWriter.delete(pks);
            jdbc.batchUpdate(
                    """
                    update resource set version = ?, patient_id = ?, last_updated = ?, deleted = ?, content = ?::json,
                           access_tags = coalesce(?, access_tags), content_bytes = ?
                     where pk = ?""",
                    // A deletion keeps the tags of the last version, so a hidden resource stays hidden once deleted.
                    updates.stream()
                            .map(p -> new Object[] {
                                p.version(),
                                p.patientId(),
                                Timestamp.from(p.lastUpdated()),
                                p.resource() == null,
                                p.json(),
                                p.resource() == null ? null : p.rows().accessTags(p.type()),
                                p.json() == null ? null : utf8Length(p.json()),
                                p.pk()
                            })
                            .toList());
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate(
                    """
                    insert into resource (pk, res_type, res_id, version, patient_id, last_updated, deleted, content,
                                          access_tags, content_bytes)
                    values (?, ?, ?, ?, ?, ?, false, ?::json, ?, ?)""",
                    inserts.stream()
                            .map(p -> new Object[] {
                                p.pk(),
                                p.type(),
                                p.id(),
                                p.version(),
                                p.patientId(),
                                Timestamp.from(p.lastUpdated()),
                                p.json(),
                                p.rows().accessTags(p.type()),
                                utf8Length(java.util.Objects.requireNonNull(p.json()))
                            })
                            .toList());
        }
        indexWriter.insert(pending.stream().filter(p -> p.resource() != null).toList());
    }

    /** Whether a JSON text holds the escape of a NUL character ({@code \\u0000} not itself escaped). */
    static boolean holdsNul(String json) {
        for (int at = json.indexOf("\\u0000"); at >= 0; at = json.indexOf("\\u0000", at + 1)) {
            int backslashes = 0;
            for (int i = at; i >= 0 && json.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            if (backslashes % 2 == 1) {
                return true;
            }
        }
        return false;
    }

    /** The UTF-8 length of a JSON text, without encoding it (most characters of stored JSON are ASCII). */
    static int utf8Length(String text) {
        int bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                bytes += c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1;
            }
        }
        return bytes;
    }

    private IParser parser() {
        return context.newJsonParser();
    }

    private static String key(String type, String id) {
        return type + "/" + id;
    }

    private record Existing(
            long pk,
            int version,
            boolean deleted,
            Instant lastUpdated,
            String json,
            String patientId,
            Set<String> labels) {}

    private static Set<String> labels(String[] tags) {
        Set<String> labels = new HashSet<>();
        for (String tag : tags) {
            if (tag.startsWith("label:")) {
                labels.add(tag);
            }
        }
        return labels;
    }

    /** A row about to be written; {@code resource} is null for a deletion. */
    record Pending(
            long pk,
            String type,
            String id,
            int version,
            Instant lastUpdated,
            @org.jspecify.annotations.Nullable Resource resource,
            @org.jspecify.annotations.Nullable String json,
            IndexRows rows,
            boolean created) {

        @org.jspecify.annotations.Nullable
        String patientId() {
            return rows == null ? null : rows.patientId();
        }
    }
}
