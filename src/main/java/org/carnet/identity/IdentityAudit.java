package org.carnet.identity;

import java.time.Clock;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

/**
 * The AuditEvents of identity operations (IHE BALP shape), written in the same unit as the change they record.
 * Until the access issue brings signed-in users, the agent is the Carnet application itself.
 */
@Component
class IdentityAudit {

    static final String SUBTYPES = "https://carnet.example.org/fhir/CodeSystem/identity-operation";
    private static final Coding PATIENT_RECORD =
            new Coding("http://dicom.nema.org/resources/ontology/DCM", "110110", "Patient Record");

    private final Clock clock;

    IdentityAudit(Clock clock) {
        this.clock = clock;
    }

    AuditEvent statusChanged(
            String patientId, @org.jspecify.annotations.Nullable IdentityStatus before, IdentityStatus after) {
        AuditEvent event = event("status-change", "Changement de statut d'identité", AuditEvent.AuditEventAction.U);
        AuditEvent.AuditEventEntityComponent entity = patient(event, patientId);
        entity.addDetail()
                .setType("from")
                .setValue(new org.hl7.fhir.r4.model.StringType(before == null ? "none" : before.name()));
        entity.addDetail().setType("to").setValue(new org.hl7.fhir.r4.model.StringType(after.name()));
        return event;
    }

    AuditEvent insiQuery(String patientId, String query, String answer) {
        AuditEvent event = event("insi-" + query, "Interrogation INSi (" + query + ")", AuditEvent.AuditEventAction.E);
        patient(event, patientId).addDetail().setType("answer").setValue(new org.hl7.fhir.r4.model.StringType(answer));
        return event;
    }

    /** A merge, with what {@code unmerge} needs to reverse it: both patients' prior versions and the moved resources. */
    AuditEvent merged(String survivor, int survivorVersion, String merged, int mergedVersion, List<String> moved) {
        AuditEvent event = event("merge", "Fusion d'identités", AuditEvent.AuditEventAction.U);
        patient(event, survivor)
                .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"))
                .setName("survivor")
                .addDetail()
                .setType("version")
                .setValue(new org.hl7.fhir.r4.model.StringType(Integer.toString(survivorVersion)));
        patient(event, merged)
                .setName("merged")
                .addDetail()
                .setType("version")
                .setValue(new org.hl7.fhir.r4.model.StringType(Integer.toString(mergedVersion)));
        for (String reference : moved) {
            event.addEntity().setWhat(new Reference(reference)).setName("moved");
        }
        return event;
    }

    AuditEvent unmerged(String survivor, String restored, String mergeEvent) {
        AuditEvent event = event("unmerge", "Annulation d'une fusion d'identités", AuditEvent.AuditEventAction.U);
        patient(event, survivor).setName("survivor");
        patient(event, restored).setName("restored");
        event.addEntity().setWhat(new Reference("AuditEvent/" + mergeEvent)).setName("reversed");
        return event;
    }

    private AuditEvent event(String code, String display, AuditEvent.AuditEventAction action) {
        AuditEvent event = new AuditEvent();
        event.setType(PATIENT_RECORD.copy());
        event.addSubtype(new Coding(SUBTYPES, code, display));
        event.setAction(action);
        event.setRecorded(Date.from(clock.instant()));
        event.setOutcome(AuditEvent.AuditEventOutcome._0);
        event.addAgent().setRequestor(true).setWho(new Reference().setDisplay("Carnet"));
        event.getSource().setObserver(new Reference().setDisplay("Carnet")).setSite("carnet");
        return event;
    }

    private static AuditEvent.AuditEventEntityComponent patient(AuditEvent event, String patientId) {
        return event.addEntity()
                .setWhat(new Reference("Patient/" + patientId))
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"));
    }
}
