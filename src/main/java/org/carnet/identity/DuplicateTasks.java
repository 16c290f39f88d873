package org.carnet.identity;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.carnet.record.QueryStrings;
import org.carnet.record.RecordReads;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;

/**
 * The identity officer's worklist of probable duplicates, as FHIR Tasks: one per pair of patients (its id derived
 * from the pair), the two patients and the reasons as inputs; {@code requested} while open, {@code completed} once
 * merged, {@code cancelled} once dismissed. The patients are inputs, not {@code focus}/{@code for}, so that the
 * worklist is nobody's clinical record and never stands in the way of deleting or merging a patient.
 */
final class DuplicateTasks {

    static final String CODE_SYSTEM = IdentityAudit.SUBTYPES;
    static final String CODE = "probable-duplicate";

    private DuplicateTasks() {}

    static Identities.DuplicatePair pair(String x, String y, List<String> reasons) {
        String a = x.compareTo(y) < 0 ? x : y;
        String b = a.equals(x) ? y : x;
        return new Identities.DuplicatePair(a, b, List.copyOf(reasons));
    }

    static String id(Identities.DuplicatePair pair) {
        return DirectoryImport.stableId("dup", pair.patientA() + "|" + pair.patientB());
    }

    static Task task(Identities.DuplicatePair pair, Instant now) {
        Task task = new Task();
        task.setId(id(pair));
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.PROPOSAL);
        task.setCode(new CodeableConcept(new Coding(CODE_SYSTEM, CODE, "Doublon potentiel à examiner")));
        task.addInput()
                .setType(new CodeableConcept().setText("patient"))
                .setValue(new Reference("Patient/" + pair.patientA()));
        task.addInput()
                .setType(new CodeableConcept().setText("patient"))
                .setValue(new Reference("Patient/" + pair.patientB()));
        task.setAuthoredOn(Date.from(now));
        task.setLastModified(Date.from(now));
        for (String reason : pair.reasons()) {
            task.addInput().setType(new CodeableConcept().setText("reason")).setValue(new CodeType(reason));
        }
        return task;
    }

    static @org.jspecify.annotations.Nullable Task find(RecordReads vault, Identities.DuplicatePair pair) {
        try {
            return (Task) vault.read("Task", id(pair));
        } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
                | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
            return null;
        }
    }

    static boolean isDuplicateTask(Resource resource) {
        return resource instanceof Task task
                && task.getCode().getCoding().stream()
                        .anyMatch(c -> CODE_SYSTEM.equals(c.getSystem()) && CODE.equals(c.getCode()));
    }

    static List<String> reasons(Task task) {
        return task.getInput().stream()
                .filter(i -> "reason".equals(i.getType().getText()))
                .map(i -> i.getValue().primitiveValue())
                .toList();
    }

    static List<Identities.DuplicatePair> open(
            RecordReads vault, QueryStrings queries, @org.jspecify.annotations.Nullable String patientId) {
        String query = "code=" + CODE_SYSTEM + "|" + CODE + "&status=requested&_sort=authored-on";
        return vault.load(vault.search(queries.parse("Task", query, true).query())).stream()
                .map(DuplicateTasks::toPair)
                .filter(p -> patientId == null
                        || p.patientA().equals(patientId)
                        || p.patientB().equals(patientId))
                .filter(p -> exists(vault, p.patientA()) && exists(vault, p.patientB()))
                .toList();
    }

    /** A pair whose patient was deleted since is no longer the officer's business. */
    private static boolean exists(RecordReads vault, String patientId) {
        try {
            vault.read("Patient", patientId);
            return true;
        } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
                | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
            return false;
        }
    }

    private static Identities.DuplicatePair toPair(Resource resource) {
        Task task = (Task) resource;
        List<String> patients = task.getInput().stream()
                .filter(i -> "patient".equals(i.getType().getText()))
                .map(i -> ((Reference) i.getValue()).getReferenceElement().getIdPart())
                .toList();
        return new Identities.DuplicatePair(patients.get(0), patients.get(1), reasons(task));
    }
}
