package org.carnet.record;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** Writes and removes the typed search-index rows of resources, in JDBC batches. */
final class IndexWriter {

    private final JdbcTemplate jdbc;

    IndexWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void delete(Long[] pks) {
        for (String table : List.of("idx_token", "idx_string", "idx_date", "idx_reference")) {
            jdbc.update("delete from " + table + " where pk = any(?)", (Object) pks);
        }
    }

    void insert(List<UnitWriter.Pending> rows) {
        List<Object[]> tokens = new ArrayList<>();
        List<Object[]> strings = new ArrayList<>();
        List<Object[]> dates = new ArrayList<>();
        List<Object[]> refs = new ArrayList<>();
        for (UnitWriter.Pending row : rows) {
            IndexRows index = row.rows();
            String patient = index.patientId();
            index.tokens()
                    .forEach(t ->
                            tokens.add(new Object[] {row.pk(), row.type(), t.param(), patient, t.system(), t.code()}));
            index.strings()
                    .forEach(s -> strings.add(
                            new Object[] {row.pk(), row.type(), s.param(), patient, s.normalized(), s.exact()}));
            index.dates()
                    .forEach(d -> dates.add(new Object[] {
                        row.pk(), row.type(), d.param(), patient, Timestamp.from(d.low()), Timestamp.from(d.high())
                    }));
            index.refs()
                    .forEach(r -> refs.add(
                            new Object[] {row.pk(), row.type(), r.param(), patient, r.targetType(), r.targetId()}));
        }
        batch(
                "insert into idx_token (pk, res_type, param, patient_id, system, code) values (?, ?, ?, ?, ?, ?)",
                tokens);
        batch(
                "insert into idx_string (pk, res_type, param, patient_id, normalized, exact) values (?, ?, ?, ?, ?, ?)",
                strings);
        batch("insert into idx_date (pk, res_type, param, patient_id, low, high) values (?, ?, ?, ?, ?, ?)", dates);
        batch(
                "insert into idx_reference (pk, res_type, param, patient_id, target_type, target_id)"
                        + " values (?, ?, ?, ?, ?, ?)",
                refs);
    }

    private void batch(String sql, List<Object[]> args) {
        if (!args.isEmpty()) {
            jdbc.batchUpdate(sql, args);
        }
    }
}
