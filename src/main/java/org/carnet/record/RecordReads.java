package org.carnet.record;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Reads and searches the record store: current versions by id or key, as parsed resources or as the stored JSON,
 * and the keys matching a search, each confined to what a caller's {@link Visibility} allows (a resource hidden
 * from the caller is answered exactly as an unknown one). Writes go through {@link RecordWrites}, history through
 * {@link RecordHistory}, a patient's whole record through {@link Everything}.
 *
 * <p>Thread-safe; reads run in the caller's transaction when there is one.
 */
@Service
public class RecordReads {

    private static final int PARALLEL_PARSE_THRESHOLD = 200;

    private final JdbcTemplate jdbc;
    private final FhirContext context;
    private final SearchParameters parameters;
    private final SearchSql searchSql;
    private final QueryStrings queryStrings;
    private final int maxResults;

    RecordReads(
            JdbcTemplate jdbc,
            FhirContext context,
            SearchParameters parameters,
            QueryStrings queryStrings,
            java.time.Clock clock,
            @Value("${carnet.search.max-results:100000}") int maxResults) {
        this.jdbc = jdbc;
        this.context = context;
        this.parameters = parameters;
        this.queryStrings = queryStrings;
        this.searchSql = new SearchSql(parameters, clock);
        this.maxResults = maxResults;
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
                    String.class,
                    type,
                    pattern,
                    after);
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
        jdbc.query("select res_type, count(*) from resource where not deleted group by res_type", rs -> {
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
        if (Boolean.TRUE.equals(row.get("deleted"))) {
            throw new ResourceGoneException(type + "/" + id + " was deleted (version " + row.get("version") + ")");
        }
        return parse((String) java.util.Objects.requireNonNull(row.get("content")));
    }

    /**
     * The stored JSON of the current version, or empty when the resource is unknown or deleted (the caller
     * then takes the path that answers 404 or 410).
     */
    public java.util.Optional<StoredJson> readJson(String type, String id, Visibility visibility) {
        List<Object> args = new ArrayList<>(List.of(type, id));
        String visible = VisibilitySql.condition(visibility, "r", args);
        return jdbc
                .query(
                        "select version, last_updated, content::text, patient_id from resource r"
                                + " where res_type = ? and res_id = ? and not deleted and " + visible,
                        (rs, n) -> new StoredJson(
                                type,
                                id,
                                rs.getInt(1),
                                rs.getTimestamp(2).toInstant(),
                                rs.getString(3),
                                rs.getString(4)),
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
                    byPk.put(
                            rs.getLong(1),
                            new StoredJson(
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getInt(4),
                                    rs.getTimestamp(5).toInstant(),
                                    rs.getString(6),
                                    rs.getString(7)));
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
                    loaded.add(new StoredJson(
                            rs.getString(2),
                            rs.getString(3),
                            rs.getInt(4),
                            rs.getTimestamp(5).toInstant(),
                            json,
                            rs.getString(7)));
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
        List<String> wanted =
                references.stream().filter(r -> r.indexOf('/') > 0).toList();
        List<Object> args = new ArrayList<>();
        args.add(wanted.stream().map(r -> r.substring(0, r.indexOf('/'))).toArray(String[]::new));
        args.add(wanted.stream().map(r -> r.substring(r.indexOf('/') + 1)).toArray(String[]::new));
        String visible = VisibilitySql.condition(visibility, "r", args);
        return new HashSet<>(jdbc.queryForList("""
                select r.res_type || '/' || r.res_id from resource r
                  join unnest(?::text[], ?::text[]) as w(t, i) on r.res_type = w.t and r.res_id = w.i
                 where not r.deleted and %s""".formatted(visible), String.class, args.toArray()));
    }

    /** The patient whose record holds a resource (empty for a shared resource or an unknown one). */
    public java.util.Optional<String> patientOf(String type, String id) {
        return jdbc
                .queryForList(
                        "select patient_id from resource where res_type = ? and res_id = ?", String.class, type, id)
                .stream()
                .filter(p -> p != null)
                .findFirst();
    }

    /** A resource as stored: its JSON text exactly as Carnet's encoder wrote it. */
    public record StoredJson(String type, String id, int version, Instant lastUpdated, String json, String patientId) {}

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
        List<Long> pks =
                jdbc.queryForList(statement.sql(), Long.class, statement.args().toArray());
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
        return stream.map(json::get)
                .filter(text -> text != null)
                .map(this::parse)
                .toList();
    }

    /** The keys of the resources a page of results points to through a reference parameter ({@code _include}). */
    public List<Long> referencedBy(
            List<Long> pks,
            String sourceType,
            String param,
            @org.jspecify.annotations.Nullable String targetType,
            Visibility visibility) {
        if (pks.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>(
                java.util.Arrays.asList(pks.toArray(Long[]::new), sourceType, param, param, targetType, targetType));
        String visible = VisibilitySql.condition(visibility, "r", args);
        return jdbc.queryForList("""
                select distinct r.pk from idx_reference x
                  join resource r on r.res_type = x.target_type and r.res_id = x.target_id and not r.deleted
                 where x.pk = any(?) and x.res_type = ? and (? = '*' or x.param = ?)
                   and (?::text is null or x.target_type = ?) and %s""".formatted(visible), Long.class, args.toArray());
    }

    /** The keys of resources of {@code sourceType} pointing to a page of results through {@code param} ({@code _revinclude}). */
    public List<Long> referencing(List<Long> pks, String sourceType, String param, Visibility visibility) {
        if (pks.isEmpty()) {
            return List.of();
        }
        List<Object> args =
                new ArrayList<>(java.util.Arrays.asList(pks.toArray(Long[]::new), sourceType, param, param));
        String visible = VisibilitySql.condition(visibility, "r", args);
        return jdbc.queryForList("""
                select distinct x.pk from resource t
                  join idx_reference x on x.target_id = t.res_id and x.target_type = t.res_type
                  join resource r on r.pk = x.pk and not r.deleted
                 where t.pk = any(?) and x.res_type = ? and (? = '*' or x.param = ?) and %s""".formatted(visible), Long.class, args.toArray());
    }

    /** Parses a stored JSON text (this encoder's own output). */
    Resource parse(String json) {
        return (Resource) parser().parseResource(json);
    }

    private IParser parser() {
        return context.newJsonParser();
    }
}
