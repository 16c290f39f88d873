package org.carnet.record;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The current state of resources as a projection (the search index) needs it: the stored JSON, the patient it is
 * filed under and the {@code access_tags} the access conditions test, so that a projection can apply exactly the
 * same rules as the store's own queries ({@link VisibilitySql}). For the platform's own work only: it applies no
 * access decision.
 */
@Service
public class IndexSources {

    private static final int PAGE = 2_000;

    private final JdbcTemplate jdbc;

    IndexSources(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One resource as it stands now.
     *
     * @param json the stored JSON, null when the resource is deleted or unknown
     * @param accessTags what {@link Visibility} conditions test ({@code label:…}, {@code doctype:…}, {@code author:…})
     */
    public record Source(
            String type,
            String id,
            int version,
            Instant lastUpdated,
            @org.jspecify.annotations.Nullable String patientId,
            @org.jspecify.annotations.Nullable String json,
            List<String> accessTags) {

        public String key() {
            return type + "/" + id;
        }

        public boolean deleted() {
            return json == null;
        }
    }

    /**
     * The current state of each {@code Type/id} (a trailing {@code /_history/n} is ignored), deleted or unknown ones
     * with a null JSON, in no particular order.
     */
    public List<Source> current(Collection<String> references) {
        Map<String, Source> found = new HashMap<>();
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String reference : references) {
            String[] parts = reference.split("/", 3);
            if (parts.length >= 2) {
                types.add(parts[0]);
                ids.add(parts[1]);
            }
        }
        if (types.isEmpty()) {
            return List.of();
        }
        jdbc.query(
                "select r.res_type, r.res_id, r.version, r.last_updated, r.patient_id,"
                        + " case when r.deleted then null else r.content::text end, r.access_tags"
                        + " from resource r join unnest(?::text[], ?::text[]) as k(t, i)"
                        + " on r.res_type = k.t and r.res_id = k.i",
                rs -> {
                    Source source = source(rs);
                    found.put(source.key(), source);
                },
                types.toArray(String[]::new),
                ids.toArray(String[]::new));
        List<Source> all = new ArrayList<>(found.values());
        for (int i = 0; i < types.size(); i++) {
            String key = types.get(i) + "/" + ids.get(i);
            if (!found.containsKey(key)) {
                all.add(new Source(types.get(i), ids.get(i), 0, Instant.EPOCH, null, null, List.of()));
                found.put(key, all.getLast());
            }
        }
        return all;
    }

    /** Every current resource of one patient's record, a page at a time (memory does not grow with the record). */
    public void forEachOfPatient(String patientId, Consumer<List<Source>> page) {
        long after = Long.MIN_VALUE;
        while (true) {
            List<Long> pks = new ArrayList<>();
            List<Source> sources = new ArrayList<>();
            jdbc.query(
                    "select r.res_type, r.res_id, r.version, r.last_updated, r.patient_id, r.content::text,"
                            + " r.access_tags, r.pk from resource r where r.patient_id = ? and not r.deleted"
                            + " and r.pk > ? order by r.pk limit " + PAGE,
                    rs -> {
                        sources.add(source(rs));
                        pks.add(rs.getLong(8));
                    },
                    patientId,
                    after);
            if (!sources.isEmpty()) {
                page.accept(sources);
            }
            if (sources.size() < PAGE) {
                return;
            }
            after = pks.getLast();
        }
    }

    /** The ids of every patient that has a record, in id order. */
    public List<String> patients() {
        return jdbc.queryForList(
                "select distinct patient_id from resource where patient_id is not null order by 1", String.class);
    }

    /** How many current resources are filed under a patient, for progress reports. */
    public long countFiled() {
        Long count = jdbc.queryForObject(
                "select count(*) from resource where patient_id is not null and not deleted", Long.class);
        return count == null ? 0 : count;
    }

    private static Source source(ResultSet rs) throws SQLException {
        Array tags = rs.getArray(7);
        List<String> accessTags = tags == null ? List.of() : List.of((String[]) tags.getArray());
        return new Source(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getTimestamp(4).toInstant(),
                rs.getString(5),
                rs.getString(6),
                accessTags);
    }
}
