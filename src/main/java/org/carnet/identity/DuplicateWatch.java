package org.carnet.identity;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.carnet.record.QueryStrings;
import org.carnet.record.RecordReads;
import org.carnet.record.ResourceRules;
import org.carnet.record.UnitLocks;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Identity-vigilance at the door: each time a Patient is created or changed, its probable duplicates are looked
 * for and filed as Tasks for the identity officer in the same write unit. Writers of patients born on the same day
 * (or on the transposed day) are serialised, so two duplicates created at the same moment still see each other.
 */
@Component
class DuplicateWatch implements ResourceRules {

    private final ObjectProvider<RecordReads> vault;
    private final ObjectProvider<QueryStrings> queries;
    private final UnitLocks locks;
    private final Clock clock;

    DuplicateWatch(
            ObjectProvider<RecordReads> vault, ObjectProvider<QueryStrings> queries, UnitLocks locks, Clock clock) {
        this.vault = vault;
        this.locks = locks;
        this.queries = queries;
        this.clock = clock;
    }

    @Override
    public void check(Resource resource) {}

    @Override
    public boolean watches(String type) {
        return "Patient".equals(type);
    }

    @Override
    public List<Resource> alongside(@org.jspecify.annotations.Nullable Resource previous, Resource next) {
        Patient patient = (Patient) next;
        if (patient.hasActive() && !patient.getActive()
                || !patient.hasBirthDate()
                || patient.getBirthDateElement().getPrecision() != ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY) {
            return List.of();
        }
        RecordReads records = vault.getObject();
        LocalDate birth = LocalDate.parse(patient.getBirthDateElement().getValueAsString());
        TreeSet<String> dates = new TreeSet<>(List.of(birth.toString()));
        LocalDate transposed = DuplicateDetection.transposed(birth);
        if (transposed != null) {
            dates.add(transposed.toString());
        }
        dates.forEach(d -> locks.serializeOn("patient-born:" + d));
        String id = patient.getIdElement().getIdPart();
        List<Resource> tasks = new ArrayList<>();
        for (DuplicateDetection.Candidate candidate :
                new DuplicateDetection(records, queries.getObject()).candidates(patient)) {
            Identities.DuplicatePair pair = DuplicateTasks.pair(id, candidate.patientId(), candidate.reasons());
            Task existing = DuplicateTasks.find(records, pair);
            if (existing == null) {
                tasks.add(DuplicateTasks.task(pair, clock.instant()));
            }
        }
        return tasks;
    }
}
