package org.carnet.document;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * When each caller last opened the default view of a record's documents: what was filed after that is "new since
 * my last access". Only that view counts, not every request the caller made on the record in between.
 */
@Component
public class DocumentViewsSeen {

    private final JdbcTemplate jdbc;

    DocumentViewsSeen(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The last time this actor opened the view of this record (empty if never), without recording anything. */
    public Optional<Instant> last(String patientId, String actor) {
        return jdbc
                .query(
                        "select seen_at from document_view_seen where patient_id = ? and actor = ?",
                        (rs, n) -> rs.getTimestamp(1).toInstant(),
                        patientId,
                        actor)
                .stream()
                .findFirst();
    }

    /** The previous time this actor opened the view of this record (empty the first time), now recorded as {@code now}. */
    public Optional<Instant> previousAndNow(String patientId, String actor, Instant now) {
        Optional<Instant> previous = last(patientId, actor);
        jdbc.update("""
                insert into document_view_seen (patient_id, actor, seen_at) values (?, ?, ?)
                on conflict (patient_id, actor) do update set seen_at = excluded.seen_at""", patientId, actor, Timestamp.from(now));
        return previous;
    }
}
