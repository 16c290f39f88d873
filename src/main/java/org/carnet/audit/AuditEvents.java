package org.carnet.audit;

import java.util.Date;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;

/** Builds the AuditEvent (IHE Basic Audit Log Patterns shape) of an {@link AuditRecord}. */
final class AuditEvents {

    static final String INTERACTION_SYSTEM = "http://hl7.org/fhir/restful-interaction";
    static final String CARNET_EVENT_SYSTEM = "https://carnet.example.org/fhir/CodeSystem/audit-event";
    static final String ACCESS_MODE_SYSTEM = "https://carnet.example.org/fhir/CodeSystem/access-mode";
    static final String PROFESSION_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante";
    static final int MAX_ENTITIES = 100;

    private static final Map<String, AuditEvent.AuditEventAction> ACTIONS = Map.of(
            "create", AuditEvent.AuditEventAction.C,
            "update", AuditEvent.AuditEventAction.U,
            "patch", AuditEvent.AuditEventAction.U,
            "delete", AuditEvent.AuditEventAction.D,
            "transaction", AuditEvent.AuditEventAction.E,
            "consent", AuditEvent.AuditEventAction.U,
            "sign-in", AuditEvent.AuditEventAction.E);
    private static final java.util.Set<String> REST = java.util.Set.of("read", "vread", "search-type", "history-instance",
            "history-type", "create", "update", "patch", "delete", "transaction");

    private AuditEvents() {}

    static AuditEvent of(AuditRecord record) {
        AuditEvent event = new AuditEvent();
        boolean rest = REST.contains(record.interaction());
        event.setType(rest
                ? new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation")
                : new Coding(CARNET_EVENT_SYSTEM, record.interaction(), null));
        event.addSubtype(rest
                ? new Coding(INTERACTION_SYSTEM, record.interaction(), null)
                : new Coding(CARNET_EVENT_SYSTEM, record.interaction(), null));
        boolean change = TrailText.RULE_CHANGES.contains(record.interaction())
                || record.interaction().equals("mask") || record.interaction().equals("unmask");
        event.setAction(change ? AuditEvent.AuditEventAction.U
                : ACTIONS.getOrDefault(record.interaction(), AuditEvent.AuditEventAction.R));
        event.setRecorded(Date.from(record.at()));
        event.setOutcome(record.success() ? AuditEvent.AuditEventOutcome._0 : AuditEvent.AuditEventOutcome._4);
        AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(true);
        agent.getWho().getIdentifier()
                .setSystem(record.actor().key().startsWith("idnat:") ? "urn:oid:1.2.250.1.71.4.2.1" : "urn:carnet:subject")
                .setValue(record.actor().key().startsWith("idnat:") ? record.actor().key().substring(6) : record.actor().key());
        agent.getWho().setDisplay(record.actor().name());
        agent.setName(record.actor().name());
        agent.getType().addCoding(new Coding(CARNET_EVENT_SYSTEM + "-agent", record.actor().kind(), null));
        if (record.actor().profession() != null) {
            agent.addRole().addCoding(new Coding(PROFESSION_SYSTEM, record.actor().profession(), null))
                    .setText(TrailText.profession(record.actor().profession(), record.actor().specialty()));
        }
        if (record.mode() != null) {
            event.addPurposeOfEvent()
                    .addCoding(new Coding(ACCESS_MODE_SYSTEM, record.mode(), null))
                    .setText(record.reason());
            if (!"normal".equals(record.mode())) {
                event.getPurposeOfEventFirstRep().addCoding(
                        new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "ETREAT", "emergency treatment"));
            }
        }
        event.getSource().setSite("Carnet").getObserver().setDisplay("Carnet");
        if (record.patientId() != null) {
            event.addEntity()
                    .setWhat(new Reference("Patient/" + record.patientId()))
                    .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"))
                    .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
        }
        record.resources().stream().limit(MAX_ENTITIES).forEach(what -> event.addEntity()
                .setWhat(new Reference(what))
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object")));
        if (record.resources().size() > MAX_ENTITIES || record.detail() != null) {
            event.addEntity()
                    .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                    .setName(record.resources().size() + " resources")
                    .setDescription(record.detail());
        }
        event.getMeta().addTag(CARNET_EVENT_SYSTEM + "-count", Integer.toString(record.resources().size()), null);
        return event;
    }
}
