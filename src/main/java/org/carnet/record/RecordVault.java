package org.carnet.record;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The record store: versioned FHIR resources in PostgreSQL, each filed under the patient whose
 * compartment it belongs to. Writes are grouped in units ({@link #apply}) that commit whole or not at all,
 * validate every reference, and publish {@link RecordChanged} in the same transaction.
 *
 * <p>Thread-safe. Concurrent writers of the same resource are serialised by row locks; a stale
 * {@code If-Match} version is refused with HTTP 412, a concurrent create of the same client id with 409.
 */
@Service
public class RecordVault {

    private static final int PARALLEL_PARSE_THRESHOLD = 200;

    private final JdbcTemplate jdbc;
    private final FhirContext context;
    private final ApplicationEventPublisher events;
    private final SearchParameters parameters;
    private final SearchIndexer indexer;
    private final SearchSql searchSql;
    private final IndexWriter indexWriter;
    private final int maxResults;
    private final int maxResourceBytes;

    private final QueryStrings queryStrings;
    private final List<ResourceRules> rules;
    private final Clock clock;

    RecordVault(
            JdbcTemplate jdbc,
            FhirContext context,
            ApplicationEventPublisher events,
            SearchParameters parameters,
            QueryStrings queryStrings,
            List<ResourceRules> rules,
            Clock clock,
            @Value("${carnet.search.max-results:100000}") int maxResults,
            @Value("${carnet.fhir.max-resource-bytes:2097152}") int maxResourceBytes) {
        this.jdbc = jdbc;
        this.context = context;
        this.events = events;
        this.parameters = parameters;
        this.queryStrings = queryStrings;
        this.rules = List.copyOf(rules);
        this.clock = clock;
        this.indexer = new SearchIndexer(context, parameters);
        this.searchSql = new SearchSql(parameters, clock);
        this.indexWriter = new IndexWriter(jdbc);
        this.maxResults = maxResults;
        this.maxResourceBytes = maxResourceBytes;
    }

    /**
     * Calls {@code action} with the id of every current (not deleted) resource of a type whose id starts with
     * {@code idPrefix}, in id order, a page at a time (memory does not grow with the number of resources).
     */
    public void forEachId(String type, String idPrefix, java.util.function.Consumer<String> action) {
        String pattern = idPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        String after = "";
        while (true) {
            List<String> page = jdbc.queryForList(
                    "select res_id from resource where res_type = ? and res_id like ? and res_id > ? and not deleted"
                            + " order by res_id limit 10000",
                    String.class, type, pattern, after);
            page.forEach(action);
            if (page.size() < 10000) {
                return;
            }
            after = page.getLast();
        }
    }

    /** How many current (not deleted) resources of each type the store holds, by type name: an operator's summary. */
    public java.util.SortedMap<String, Long> countByType() {
        java.util.SortedMap<String, Long> counts = new java.util.TreeMap<>();
        jdbc.query("select res_type, count(*) from resource where not deleted group by res_type",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }

    /** The FHIR R4 context every module shares (parsers, model definitions). */
    public FhirContext fhirContext() {
        return context;
    }

    /** The search parameters Carnet answers for a type, by name (besides {@code _id} and {@code _lastUpdated}). */
    public Map<String, SearchParam> searchParams(String type) {
        Map<String, SearchParam> params = new LinkedHashMap<>();
        parameters.of(type).forEach((name, compiled) -> params.put(name, compiled.param()));
        return params;
    }

    /** Applies a unit of changes atomically, in order; every reference must resolve within the store or the unit. */
    @Transactional
    public List<Written> apply(List<Change> changes) {
        return apply(changes, Visibility.UNRESTRICTED);
    }

    /**
     * Applies a unit of changes for a caller: a change to a record the caller cannot see is refused as unknown
     * (404), a change the caller can see but not make is forbidden (403); either way nothing of the unit is kept.
     */
    @Transactional
    public List<Written> apply(List<Change> changes, Visibility visibility) {
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        Map<String, Existing> existing = lockExisting(changes);
        forgetHidden(existing, visibility);
        List<Pending> pending = new ArrayList<>(changes.size());
        Set<String> touched = new HashSet<>();
        Map<String, String> conditional = new HashMap<>();
        long[] newPks = allocatePks(changes.stream().filter(c -> c instanceof Change.Create).count()
                + changes.stream().filter(c -> c instanceof Change.Update u
                                && !existing.containsKey(key(u.type(), u.resource().getIdElement().getIdPart())))
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
                        results[c] = new Written(update.type(), id, current.version(), current.lastUpdated(), resource,
                                false, false, current.patientId());
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
                        results[c] = new Written(delete.type(), delete.id(), current.version(), current.lastUpdated(),
                                null, false, false, current.patientId());
                        yield null;
                    }
                    yield new Pending(current.pk(), delete.type(), delete.id(), current.version() + 1, now,
                            null, null, IndexRows.deletion(current.patientId()), false);
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
            apply(alongside);
        }
        for (int i = 0; i < pending.size(); i++) {
            Pending row = pending.get(i);
            results[pendingChange.get(i)] =
                    new Written(row.type(), row.id(), row.version(), row.lastUpdated(), row.resource(), row.created(),
                            true, row.patientId());
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
        Set<Long> shown = visible(existing.values().stream().map(Existing::pk).toList(), visibility);
        existing.values().removeIf(e -> !shown.contains(e.pk()));
    }

    private void checkWritable(List<Pending> pending, Map<String, Existing> existing, Visibility visibility) {
        if (visibility.unrestricted()) {
            return;
        }
        for (Pending row : pending) {
            Existing current = existing.get(key(row.type(), row.id()));
            if (current != null && !current.deleted() && row.resource() != null
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
            List<ResourceRules> watching = rules.stream().filter(r -> r.watches(row.type())).toList();
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
     * Serialises, until the current transaction ends, every transaction that names the same key — so that two
     * concurrent conditional creates ({@code If-None-Exist}) of the same resource cannot both create it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void serializeOn(String key) {
        jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))", key);
    }

    /** The current version; 404 if it never existed, 410 if it was deleted. */
    public Resource read(String type, String id) {
        return read(type, id, Visibility.UNRESTRICTED);
    }

    /** The current version if the caller may see it; a resource hidden from the caller is answered as unknown. */
    public Resource read(String type, String id, Visibility visibility) {
        List<Object> args = new ArrayList<>(List.of(type, id));
        String visible = VisibilitySql.condition(visibility, "r", args);
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select version, deleted, content::text as content from resource r where res_type = ? and res_id = ?"
                        + " and " + visible,
                args.toArray());
        if (rows.isEmpty()) {
            throw new ResourceNotFoundException(type + "/" + id + " is not known");
        }
        Map<String, Object> row = rows.get(0);
        if ((Boolean) row.get("deleted")) {
            throw new ResourceGoneException(type + "/" + id + " was deleted (version " + row.get("version") + ")");
        }
        return parse((String) row.get("content"));
    }

    /**
     * The stored JSON of the current version, or empty when the resource is unknown or deleted (the caller
     * then takes the path that answers 404 or 410).
     */
    public java.util.Optional<StoredJson> readJson(String type, String id, Visibility visibility) {
        List<Object> args = new ArrayList<>(List.of(type, id));
        String visible = VisibilitySql.condition(visibility, "r", args);
        return jdbc.query(
                        "select version, last_updated, content::text, patient_id from resource r"
                                + " where res_type = ? and res_id = ? and not deleted and " + visible,
                        (rs, n) -> new StoredJson(type, id, rs.getInt(1), rs.getTimestamp(2).toInstant(),
                                rs.getString(3), rs.getString(4)),
                        args.toArray())
                .stream()
                .findFirst();
    }

    /** Loads the stored JSON of current versions by key, in the given order (since-deleted ones are skipped). */
    public List<StoredJson> loadJson(List<Long> pks, Visibility visibility) {
        if (pks.isEmpty()) {
            return List.of();
        }
        Map<Long, StoredJson> byPk = new HashMap<>();
        List<Object> args = new ArrayList<>();
        args.add(pks.toArray(Long[]::new));
        String visible = VisibilitySql.condition(visibility, "r", args);
        jdbc.query(
                "select pk, res_type, res_id, version, last_updated, content::text, patient_id from resource r"
                        + " where pk = any(?) and not deleted and " + visible,
                rs -> {
                    byPk.put(rs.getLong(1), new StoredJson(rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7)));
                },
                args.toArray());
        return pks.stream().map(byPk::get).filter(json -> json != null).toList();
    }

    /**
     * The stored JSON of current versions by key, in the given order, as many as fit in {@code maxBytes} (at least the
     * first visible one): the resources past the budget are not read at all, so a page of huge resources costs no
     * more memory than the budget.
     *
     * @return the resources that fit, and how many of {@code pks} they cover (the next page starts there)
     */
    public Bounded loadJson(List<Long> pks, Visibility visibility, long maxBytes) {
        if (pks.isEmpty()) {
            return new Bounded(List.of(), 0);
        }
        List<Object> args = new ArrayList<>();
        args.add(maxBytes);
        args.add(pks.toArray(Long[]::new));
        String visible = VisibilitySql.condition(visibility, "r", args);
        List<StoredJson> loaded = new ArrayList<>();
        int[] consumed = {pks.size()};
        jdbc.query(
                """
                select k.n, r.res_type, r.res_id, r.version, r.last_updated,
                       case when coalesce(sum(coalesce(r.content_bytes, 0)) over (order by k.n
                                 rows between unbounded preceding and 1 preceding), 0) < ?
                            then r.content::text end,
                       r.patient_id
                  from unnest(?::bigint[]) with ordinality as k(pk, n)
                  join resource r on r.pk = k.pk
                 where not r.deleted and\s""" + visible + " order by k.n",
                rs -> {
                    if (consumed[0] < pks.size()) {
                        return;
                    }
                    String json = rs.getString(6);
                    if (json == null) {
                        consumed[0] = (int) rs.getLong(1) - 1;
                        return;
                    }
                    loaded.add(new StoredJson(rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getTimestamp(5).toInstant(), json, rs.getString(7)));
                },
                args.toArray());
        return new Bounded(loaded, consumed[0]);
    }

    /** Resources loaded within a byte budget, and how many of the asked keys they cover. */
    public record Bounded(List<StoredJson> resources, int consumed) {}

    /** Which of these resources the caller may see now (for result sets kept between pages). */
    public Set<Long> visible(java.util.Collection<Long> pks, Visibility visibility) {
        if (visibility.unrestricted() || pks.isEmpty()) {
            return new HashSet<>(pks);
        }
        List<Object> args = new ArrayList<>();
        args.add(pks.toArray(Long[]::new));
        String visible = VisibilitySql.condition(visibility, "r", args);
        return new HashSet<>(jdbc.queryForList(
                "select pk from resource r where pk = any(?) and " + visible, Long.class, args.toArray()));
    }

    /** Which of these references ({@code Type/id}) name live (not deleted) resources the caller may see now. */
    public Set<String> visibleReferences(java.util.Collection<String> references, Visibility visibility) {
        if (references.isEmpty()) {
            return Set.of();
        }
        List<String> wanted = references.stream().filter(r -> r.indexOf('/') > 0).toList();
        List<Object> args = new ArrayList<>();
        args.add(wanted.stream().map(r -> r.substring(0, r.indexOf('/'))).toArray(String[]::new));
        args.add(wanted.stream().map(r -> r.substring(r.indexOf('/') + 1)).toArray(String[]::new));
        String visible = VisibilitySql.condition(visibility, "r", args);
        return new HashSet<>(jdbc.queryForList(
                """
                select r.res_type || '/' || r.res_id from resource r
                  join unnest(?::text[], ?::text[]) as w(t, i) on r.res_type = w.t and r.res_id = w.i
                 where not r.deleted and %s""".formatted(visible),
                String.class, args.toArray()));
    }

    /** The patient whose record holds a resource (empty for a shared resource or an unknown one). */
    public java.util.Optional<String> patientOf(String type, String id) {
        return jdbc.queryForList("select patient_id from resource where res_type = ? and res_id = ?", String.class, type, id)
                .stream().filter(p -> p != null).findFirst();
    }

    /** A resource as stored: its JSON text exactly as Carnet's encoder wrote it. */
    public record StoredJson(
            String type, String id, int version, Instant lastUpdated, String json, String patientId) {}

    /** A given version; 404 if there is no such version, 410 if that version is a deletion. */
    public Resource vread(String type, String id, int version) {
        return vread(type, id, version, Visibility.UNRESTRICTED);
    }

    /** A given version if the caller may see the resource; a hidden one is answered as unknown. */
    public Resource vread(String type, String id, int version, Visibility visibility) {
        List<Object> args = new ArrayList<>(List.of(type, id, version));
        String visible = VisibilitySql.condition(visibility, "r", args);
        args.addAll(List.of(type, id, version));
        String visibleToo = VisibilitySql.condition(visibility, "r", args);
        List<Map<String, Object>> rows = jdbc.queryForList(
                """
                select deleted, content::text as content from resource r
                 where res_type = ? and res_id = ? and version = ? and %s
                union all
                select h.deleted, h.content::text from resource_history h join resource r on r.pk = h.pk
                 where r.res_type = ? and r.res_id = ? and h.version = ? and %s""".formatted(visible, visibleToo),
                args.toArray());
        if (rows.isEmpty()) {
            throw new ResourceNotFoundException(type + "/" + id + "/_history/" + version + " is not known");
        }
        if ((Boolean) rows.get(0).get("deleted")) {
            throw new ResourceGoneException(type + "/" + id + " version " + version + " is a deletion");
        }
        return parse((String) rows.get(0).get("content"));
    }

    /** The keys of the matching resources, in result order; refuses result sets above the configured maximum. */
    public List<Long> search(SearchQuery query) {
        return search(query, Visibility.UNRESTRICTED);
    }

    /**
     * The keys matching a FHIR query string ({@code identifier=…&birthdate=…}, strict: an unknown parameter is an
     * error) for a caller: conditional URLs, and lookups of the platform's own work.
     */
    public List<Long> search(String type, String queryString, Visibility visibility) {
        return search(queryStrings.parse(type, queryString, true).query(), visibility);
    }

    /** The keys of the matching resources the caller may see, in result order. */
    public List<Long> search(SearchQuery query, Visibility visibility) {
        if (!SupportedTypes.isSupported(query.type())) {
            throw new InvalidRequestException("Unknown resource type '" + query.type() + "'");
        }
        SearchSql.Statement statement = searchSql.compile(query, maxResults + 1, visibility);
        List<Long> pks = jdbc.queryForList(statement.sql(), Long.class, statement.args().toArray());
        if (pks.size() > maxResults) {
            throw new InvalidRequestException("The search matches more than " + maxResults
                    + " resources; add criteria (for example patient, date or code) to narrow it");
        }
        return pks;
    }

    /** Loads current versions by key, in the given order (keys of since-deleted resources are skipped). */
    public List<Resource> load(List<Long> pks) {
        return load(pks, Visibility.UNRESTRICTED);
    }

    /** Loads current versions by key, in the given order, skipping those the caller may not see. */
    public List<Resource> load(List<Long> pks, Visibility visibility) {
        if (pks.isEmpty()) {
            return List.of();
        }
        Map<Long, String> json = new HashMap<>();
        List<Object> args = new ArrayList<>();
        args.add(pks.toArray(Long[]::new));
        String visible = VisibilitySql.condition(visibility, "r", args);
        jdbc.query(
                "select pk, content::text from resource r where pk = any(?) and not deleted and " + visible,
                rs -> {
                    json.put(rs.getLong(1), rs.getString(2));
                },
                args.toArray());
        // Parsing dominates the cost of a large page; spread it over the cores.
        var stream = pks.size() >= PARALLEL_PARSE_THRESHOLD ? pks.parallelStream() : pks.stream();
        return stream.map(json::get).filter(text -> text != null).map(this::parse).toList();
    }

    /** The keys of the resources a page of results points to through a reference parameter ({@code _include}). */
    public List<Long> referencedBy(
            List<Long> pks, String sourceType, String param, String targetType, Visibility visibility) {
        if (pks.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>(
                java.util.Arrays.asList(pks.toArray(Long[]::new), sourceType, param, param, targetType, targetType));
        String visible = VisibilitySql.condition(visibility, "r", args);
        return jdbc.queryForList(
                """
                select distinct r.pk from idx_reference x
                  join resource r on r.res_type = x.target_type and r.res_id = x.target_id and not r.deleted
                 where x.pk = any(?) and x.res_type = ? and (? = '*' or x.param = ?)
                   and (?::text is null or x.target_type = ?) and %s""".formatted(visible),
                Long.class,
                args.toArray());
    }

    /** The keys of resources of {@code sourceType} pointing to a page of results through {@code param} ({@code _revinclude}). */
    public List<Long> referencing(List<Long> pks, String sourceType, String param, Visibility visibility) {
        if (pks.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>(java.util.Arrays.asList(pks.toArray(Long[]::new), sourceType, param, param));
        String visible = VisibilitySql.condition(visibility, "r", args);
        return jdbc.queryForList(
                """
                select distinct x.pk from resource t
                  join idx_reference x on x.target_id = t.res_id and x.target_type = t.res_type
                  join resource r on r.pk = x.pk and not r.deleted
                 where t.pk = any(?) and x.res_type = ? and (? = '*' or x.param = ?) and %s""".formatted(visible),
                Long.class,
                args.toArray());
    }

    /**
     * Everything in a patient's record: the Patient first, then every resource of their compartment, then the
     * shared resources (practitioners, organisations, ...) those point to.
     */
    public List<Long> everything(String patientId) {
        return everything(patientId, Visibility.UNRESTRICTED);
    }

    /** Everything in a patient's record that the caller may see; 404 when the caller may see nothing of it. */
    @Transactional(readOnly = true)
    public List<Long> everything(String patientId, Visibility visibility) {
        read("Patient", patientId, visibility);
        List<Object> args = new ArrayList<>(List.of(patientId));
        String visible = VisibilitySql.condition(visibility, "r", args, patientId);
        args.add(patientId);
        List<Long> pks = new ArrayList<>(jdbc.queryForList(
                """
                select pk from resource r where patient_id = ? and not deleted and %s
                 order by (res_type = 'Patient' and res_id = ?) desc, pk""".formatted(visible),
                Long.class, args.toArray()));
        List<Object> sharedArgs = new ArrayList<>(List.of(patientId));
        String sourceVisible = VisibilitySql.condition(visibility, "r", sharedArgs, patientId);
        String targetVisible = VisibilitySql.condition(visibility, "t", sharedArgs);
        pks.addAll(jdbc.queryForList(
                """
                select distinct t.pk from resource r
                  join idx_reference x on x.pk = r.pk
                  join resource t on t.res_type = x.target_type and t.res_id = x.target_id
                 where r.patient_id = ? and not r.deleted and t.patient_id is null and not t.deleted
                   and %s and %s
                 order by t.pk""".formatted(sourceVisible, targetVisible),
                Long.class, sharedArgs.toArray()));
        return pks;
    }

    /** Versions of one resource (newest first), or of a type when {@code id} is null, changed at or after {@code since}. */
    public List<HistoryEntry> history(String type, String id, Instant since, Visibility visibility) {
        if (id != null) {
            List<Object> args = new ArrayList<>(List.of(type, id));
            String visible = VisibilitySql.condition(visibility, "r", args);
            List<Long> pk = jdbc.queryForList(
                    "select pk from resource r where res_type = ? and res_id = ? and " + visible, Long.class,
                    args.toArray());
            if (pk.isEmpty()) {
                throw new ResourceNotFoundException(type + "/" + id + " is not known");
            }
        }
        Timestamp from = Timestamp.from(since == null ? FhirDates.MIN : since);
        List<Object> args = new ArrayList<>(java.util.Arrays.asList(type, id, id, from));
        String visible = VisibilitySql.condition(visibility, "r", args);
        args.addAll(java.util.Arrays.asList(type, id, id, from));
        String visibleToo = VisibilitySql.condition(visibility, "r", args);
        args.add(maxResults);
        return jdbc.query(
                """
                select pk, version, true as current, last_updated, patient_id from resource r
                 where res_type = ? and (?::text is null or res_id = ?) and last_updated >= ? and %s
                union all
                select h.pk, h.version, false, h.last_updated, h.patient_id from resource_history h
                  join resource r on r.pk = h.pk
                 where r.res_type = ? and (?::text is null or r.res_id = ?) and h.last_updated >= ? and %s
                order by last_updated desc, version desc limit ?""".formatted(visible, visibleToo),
                (rs, n) -> new HistoryEntry(rs.getLong(1), rs.getInt(2), rs.getBoolean(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5)),
                args.toArray());
    }

    /**
     * Loads history entries, in order. A deletion comes back as an empty resource of its type carrying only
     * its id, version and {@code meta.lastUpdated}, with {@code deleted} true.
     */
    public List<Version> loadVersions(List<HistoryEntry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        Long[] pks = entries.stream().map(HistoryEntry::pk).toArray(Long[]::new);
        Integer[] versions = entries.stream().map(HistoryEntry::version).toArray(Integer[]::new);
        Map<String, Version> byKey = new HashMap<>();
        jdbc.query(
                """
                with wanted(pk, version) as (select * from unnest(?::bigint[], ?::int[]))
                select r.pk, r.version, r.res_type, r.res_id, r.deleted, r.last_updated, r.content::text
                  from resource r join wanted w on w.pk = r.pk and w.version = r.version
                union all
                select h.pk, h.version, r.res_type, r.res_id, h.deleted, h.last_updated, h.content::text
                  from resource_history h join wanted w on w.pk = h.pk and w.version = h.version
                  join resource r on r.pk = h.pk""",
                rs -> {
                    boolean deleted = rs.getBoolean(5);
                    Resource resource = deleted
                            ? emptyVersion(rs.getString(3), rs.getString(4), rs.getInt(2), rs.getTimestamp(6))
                            : parse(rs.getString(7));
                    byKey.put(rs.getLong(1) + "/" + rs.getInt(2), new Version(rs.getLong(1), resource, deleted));
                },
                pks, versions);
        return entries.stream().map(e -> byKey.get(e.pk() + "/" + e.version())).filter(v -> v != null).toList();
    }

    /** One loaded version from a history listing. */
    public record Version(long pk, Resource resource, boolean deleted) {}

    private Resource emptyVersion(String type, String id, int version, Timestamp at) {
        Resource resource = (Resource) context.getResourceDefinition(type).newInstance();
        resource.setId(type + "/" + id + "/_history/" + version);
        resource.getMeta().setVersionId(Integer.toString(version)).setLastUpdated(new Date(at.getTime()));
        return resource;
    }

    private Resource parse(String json) {
        return (Resource) parser().parseResource(json);
    }

    private IParser parser() {
        return context.newJsonParser();
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
        List<Long> matches = search(type, value.substring(question + 1), visibility);
        if (matches.size() != 1) {
            throw new PreconditionFailedException("Conditional reference '" + value + "' matches "
                    + (matches.isEmpty() ? "no resource" : matches.size() + " resources") + "; it must match exactly one");
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
        resource.getMeta().setVersionId(Integer.toString(current.version()))
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
            throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(
                    "A value of this " + type + " holds a NUL character (\\u0000), which is not allowed in FHIR strings");
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
            for (Reference reference : context.newTerser()
                    .getAllPopulatedChildElementsOfType(row.resource(), Reference.class)) {
                String value = reference.getReference();
                if (value == null || value.startsWith("#") || value.startsWith("http://")
                        || value.startsWith("https://")) {
                    continue;
                }
                if (value.startsWith("urn:")) {
                    throw new UnprocessableEntityException("Reference '" + value + "' in " + row.type()
                            + " does not resolve: urn:uuid references are resolved only inside a transaction Bundle");
                }
                var local = References.parseLocal(value).orElseThrow(() -> new UnprocessableEntityException(
                        "Invalid reference '" + value + "' in " + row.type() + ": expected Type/id"));
                String target = key(local.type(), local.id());
                if (deletedInUnit.contains(target)) {
                    throw new UnprocessableEntityException(
                            "Reference '" + value + "' in " + row.type() + " points to a resource deleted in the same unit");
                }
                if (!inUnit.contains(target)) {
                    wanted.add(target);
                }
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        Set<String> found = visibleReferences(wanted, visibility);
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
        List<Pending> deletions = pending.stream().filter(p -> p.resource() == null).toList();
        if (deletions.isEmpty()) {
            return;
        }
        Set<Long> deletedPks = new HashSet<>();
        deletions.forEach(d -> deletedPks.add(d.pk()));
        for (Pending deletion : deletions) {
            // Only referrers the caller may see hold a deletion back: a refusal because of a hidden one would tell the
            // caller it exists (ADR 0012). A hidden referrer then names a deleted resource, whose versions stay.
            List<Object> args = new ArrayList<>(List.of(deletion.type(), deletion.id(), deletedPks.toArray(Long[]::new)));
            String visible = VisibilitySql.condition(visibility, "r", args);
            List<String> referrers = jdbc.queryForList(
                    """
                    select r.res_type || '/' || r.res_id from idx_reference x join resource r on r.pk = x.pk
                     where x.target_type = ? and x.target_id = ? and not r.deleted and r.pk <> all(?)
                       and r.res_type not in ('AuditEvent', 'Provenance') and\s""" + visible + " limit 3",
                    String.class, args.toArray());
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
                case Change.Update u -> keys.add(new String[] {u.type(), u.resource().getIdElement().getIdPart()});
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
                    existing.put(key(rs.getString(2), rs.getString(3)),
                            new Existing(rs.getLong(1), rs.getInt(4), rs.getBoolean(5),
                                    rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8),
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
        return jdbc.queryForList("select nextval('resource_pk_seq') from generate_series(1, ?)", Long.class, count)
                .stream()
                .mapToLong(Long::longValue)
                .toArray();
    }

    private void write(List<Pending> pending, Map<String, Existing> existing) {
        List<Pending> inserts = pending.stream().filter(Pending::created).toList();
        List<Pending> updates = pending.stream().filter(p -> !p.created()).toList();
        if (!updates.isEmpty()) {
            Long[] pks = updates.stream().map(Pending::pk).toArray(Long[]::new);
            jdbc.update(
                    """
                    insert into resource_history (pk, version, patient_id, last_updated, deleted, content)
                    select pk, version, patient_id, last_updated, deleted, content from resource where pk = any(?)""",
                    (Object) pks);
            indexWriter.delete(pks);
            jdbc.batchUpdate(
                    """
                    update resource set version = ?, patient_id = ?, last_updated = ?, deleted = ?, content = ?::json,
                           access_tags = coalesce(?, access_tags), content_bytes = ?
                     where pk = ?""",
                    // A deletion keeps the tags of the last version, so a hidden resource stays hidden once deleted.
                    updates.stream()
                            .map(p -> new Object[] {
                                p.version(), p.patientId(), Timestamp.from(p.lastUpdated()), p.resource() == null,
                                p.json(), p.resource() == null ? null : p.rows().accessTags(p.type()),
                                p.json() == null ? null : utf8Length(p.json()), p.pk()
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
                                p.pk(), p.type(), p.id(), p.version(), p.patientId(), Timestamp.from(p.lastUpdated()),
                                p.json(), p.rows().accessTags(p.type()), utf8Length(p.json())
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

    private static String key(String type, String id) {
        return type + "/" + id;
    }

    private record Existing(
            long pk, int version, boolean deleted, Instant lastUpdated, String json, String patientId,
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
            Resource resource,
            String json,
            IndexRows rows,
            boolean created) {

        String patientId() {
            return rows == null ? null : rows.patientId();
        }
    }
}
