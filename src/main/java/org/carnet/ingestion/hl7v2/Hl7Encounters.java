package org.carnet.ingestion.hl7v2;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * The patient movement a message's ZBE segment (IHE PAM France) names, as an Encounter its results and documents
 * refer to: the movement's id, when it took place, and the responsible medical unit (UF). Its id derives from the
 * patient, the facility and the movement id, so every message about the same movement names the same Encounter and
 * sending it again writes nothing.
 */
final class Hl7Encounters {

    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private Hl7Encounters() {}

    /** The movement's Encounter, or null when the message has no ZBE or its ZBE no movement id. */
    static @org.jspecify.annotations.Nullable Encounter of(LabMessage message, String patientId) {
        LabMessage.Movement movement = message.movement();
        if (movement == null || movement.id() == null) {
            return null;
        }
        String facility = message.sendingFacility() == null ? "unknown" : message.sendingFacility();
        Encounter encounter = new Encounter();
        encounter.setId("mv-"
                + UUID.nameUUIDFromBytes(
                        String.join("|", patientId, facility, movement.id()).getBytes(StandardCharsets.UTF_8)));
        encounter.addIdentifier(new Identifier()
                .setSystem("urn:carnet:hl7v2:movement:" + facility)
                .setValue(movement.id()));
        encounter.setStatus(
                "CANCEL".equals(movement.action())
                        ? Encounter.EncounterStatus.CANCELLED
                        : Encounter.EncounterStatus.UNKNOWN);
        encounter.setClass_(
                switch (movement.patientClass() == null ? "" : movement.patientClass()) {
                    case "I" -> new org.hl7.fhir.r4.model.Coding(ACT_CODE, "IMP", "inpatient encounter");
                    case "O" -> new org.hl7.fhir.r4.model.Coding(ACT_CODE, "AMB", "ambulatory");
                    case "E" -> new org.hl7.fhir.r4.model.Coding(ACT_CODE, "EMER", "emergency");
                    default ->
                        new org.hl7.fhir.r4.model.Coding(
                                "http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "UNK", "unknown");
                });
        encounter.setSubject(new Reference("Patient/" + patientId));
        if (movement.at() != null) {
            encounter.setPeriod(new Period().setStart(Date.from(movement.at())));
        }
        if (movement.wardCode() != null || movement.wardName() != null) {
            Reference ward = new Reference().setDisplay(movement.wardName());
            if (movement.wardCode() != null) {
                ward.setIdentifier(new Identifier()
                        .setSystem("urn:carnet:hl7v2:uf:" + facility)
                        .setValue(movement.wardCode()));
            }
            var location = encounter.addLocation().setLocation(ward);
            if (movement.at() != null) {
                location.setPeriod(new Period().setStart(Date.from(movement.at())));
            }
        }
        return encounter;
    }
}
