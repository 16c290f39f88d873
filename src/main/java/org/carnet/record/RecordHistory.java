package org.carnet.record;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The history of the record store: every version of a resource (or of a type) since a time, and any one version,
 * each confined to what a caller's {@link Visibility} allows. Versions are kept whole (deletions included).
 */
@Service
public class RecordHistory {

    private final JdbcTemplate jdbc;
    private final FhirContext context;
    private final RecordReads reads;
    private final int maxResults;

    RecordHistory(
            JdbcTemplate jdbc,
            FhirContext context,
            RecordReads reads,
            @Value("${carnet.search.max-results:100000}") int maxResults) {
        this.jdbc = jdbc;
        this.context = context;
        this.reads = reads;
        this.maxResults = maxResults;
    }

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
        List<Map<String, Object>> rows = jdbc.queryForList("""
                select deleted, content::text as content from resource r
                 where res_type = ? and res_id = ? and version = ? and %s
                union all
                select h.deleted, h.content::text from resource_history h join resource r on r.pk = h.pk
                 where r.res_type = ? and r.res_id = ? and h.version = ? and %s""".formatted(visible, visibleToo), args.toArray());
        if (rows.isEmpty()) {
            throw new ResourceNotFoundException(type + "/" + id + "/_history/" + version + " is not known");
        }
        if (Boolean.TRUE.equals(rows.get(0).get("deleted"))) {
            throw new ResourceGoneException(type + "/" + id + " version " + version + " is a deletion");
        }
        return reads.parse((String) java.util.Objects.requireNonNull(rows.get(0).get("content")));
    }

    /** Versions of one resource (newest first), or of a type when {@code id} is null, changed at or after {@code since}. */
    public List<HistoryEntry> history(
            String type,
            @org.jspecify.annotations.Nullable String id,
            @org.jspecify.annotations.Nullable Instant since,
            Visibility visibility) {
        if (id != null) {
            List<Object> args = new ArrayList<>(List.of(type, id));
            String visible = VisibilitySql.condition(visibility, "r", args);
            List<Long> pk = jdbc.queryForList(
                    "select pk from resource r where res_type = ? and res_id = ? and " + visible,
                    Long.class,
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
                (rs, n) -> new HistoryEntry(
                        rs.getLong(1),
                        rs.getInt(2),
                        rs.getBoolean(3),
                        rs.getTimestamp(4).toInstant(),
                        rs.getString(5)),
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
                            : reads.parse(rs.getString(7));
                    byKey.put(rs.getLong(1) + "/" + rs.getInt(2), new Version(rs.getLong(1), resource, deleted));
                },
                pks,
                versions);
        return entries.stream()
                .map(e -> byKey.get(e.pk() + "/" + e.version()))
                .filter(v -> v != null)
                .toList();
    }

    /** One loaded version from a history listing. */
    public record Version(long pk, Resource resource, boolean deleted) {}

    private Resource emptyVersion(String type, String id, int version, Timestamp at) {
        Resource resource = (Resource) context.getResourceDefinition(type).newInstance();
        resource.setId(type + "/" + id + "/_history/" + version);
        resource.getMeta().setVersionId(Integer.toString(version)).setLastUpdated(new Date(at.getTime()));
        return resource;
    }
}
