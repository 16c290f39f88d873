package org.carnet.record;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A patient's whole record ({@code Patient/[id]/$everything}): the keys of the Patient, of every resource of their
 * compartment and of the shared resources those point to, confined to what a caller may see.
 */
@Service
public class Everything {

    private final JdbcTemplate jdbc;
    private final RecordReads reads;

    Everything(JdbcTemplate jdbc, RecordReads reads) {
        this.jdbc = jdbc;
        this.reads = reads;
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
        reads.read("Patient", patientId, visibility);
        List<Object> args = new ArrayList<>(List.of(patientId));
        String visible = VisibilitySql.condition(visibility, "r", args, patientId);
        args.add(patientId);
        List<Long> pks = new ArrayList<>(jdbc.queryForList("""
                select pk from resource r where patient_id = ? and not deleted and %s
                 order by (res_type = 'Patient' and res_id = ?) desc, pk""".formatted(visible), Long.class, args.toArray()));
        List<Object> sharedArgs = new ArrayList<>(List.of(patientId));
        String sourceVisible = VisibilitySql.condition(visibility, "r", sharedArgs, patientId);
        String targetVisible = VisibilitySql.condition(visibility, "t", sharedArgs);
        pks.addAll(jdbc.queryForList("""
                select distinct t.pk from resource r
                  join idx_reference x on x.pk = r.pk
                  join resource t on t.res_type = x.target_type and t.res_id = x.target_id
                 where r.patient_id = ? and not r.deleted and t.patient_id is null and not t.deleted
                   and %s and %s
                 order by t.pk""".formatted(sourceVisible, targetVisible), Long.class, sharedArgs.toArray()));
        return pks;
    }
}
