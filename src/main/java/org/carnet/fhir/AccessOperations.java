package org.carnet.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import org.carnet.access.AccessMode;
import org.carnet.access.AccessRules;
import org.carnet.access.Caller;
import org.carnet.audit.AuditTrail;
import org.carnet.document.DocumentIntake;
import org.carnet.document.DocumentMasks;
import org.carnet.record.RecordReads;
import org.carnet.record.Visibility;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The holder's controls over their record (docs/access.md), their audit trail and notifications. A holder, or a
 * parent or legal representative, acts on the records they hold; the médecin traitant may declare care-team members;
 * a trusted system may do anything. Any other caller is told the record does not exist. Every change is audited in
 * the same transaction.
 */
@Component
class AccessOperations {

    /** The code system of the DMP visibility labels as Carnet stores them in {@code meta.security}. */
    static final String VISIBILITY_SYSTEM = DocumentIntake.VISIBILITY_SYSTEM;

    private final AccessRules rules;
    private final AuditTrail trail;
    private final Audits audits;
    private final RecordReads vault;
    private final DocumentMasks masks;
    private final TransactionTemplate transactions;
    private final java.time.Clock clock;

    AccessOperations(
            AccessRules rules,
            AuditTrail trail,
            Audits audits,
            RecordReads vault,
            DocumentMasks masks,
            TransactionTemplate transactions,
            java.time.Clock clock) {
        this.vault = vault;
        this.rules = rules;
        this.trail = trail;
        this.audits = audits;
        this.masks = masks;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Operation(name = "$access-rules", type = Patient.class, idempotent = true)
    public Parameters accessRules(@IdParam IIdType patient) {
        String id = holderOf(patient);
        Parameters out = new Parameters();
        for (AccessRules.Rule rule : rules.inForce(id)) {
            Parameters.ParametersParameterComponent part = out.addParameter().setName("rule");
            part.addPart()
                    .setName("kind")
                    .setValue(new CodeType(rule.kind().name().toLowerCase().replace('_', '-')));
            part.addPart().setName("actor").setValue(new StringType(rule.actor()));
            if (rule.validUntil() != null) {
                part.addPart().setName("until").setValue(new InstantType(java.util.Date.from(rule.validUntil())));
            }
            part.addPart().setName("since").setValue(new InstantType(java.util.Date.from(rule.created())));
        }
        return out;
    }

    @Operation(name = "$designate-traitant", type = Patient.class)
    public Parameters designateTraitant(
            @IdParam IIdType patient, @OperationParam(name = "practitioner", min = 1, max = 1) StringType who) {
        return add(holderOf(patient), AccessRules.Kind.TRAITANT, idNat(who), null, "désignation du médecin traitant");
    }

    @Operation(name = "$add-care-team", type = Patient.class)
    public Parameters addCareTeam(
            @IdParam IIdType patient, @OperationParam(name = "practitioner", min = 1, max = 1) StringType who) {
        String id = holderOrTraitantOf(patient);
        return add(id, AccessRules.Kind.CARE_TEAM, idNat(who), null, "ajout à l'équipe de soins");
    }

    @Operation(name = "$authorise", type = Patient.class)
    public Parameters authorise(
            @IdParam IIdType patient,
            @OperationParam(name = "practitioner", min = 1, max = 1) StringType who,
            @OperationParam(name = "until", max = 1) DateTimeType until) {
        Instant end = until == null || until.getValue() == null
                ? null
                : until.getValue().toInstant();
        if (end != null && !end.isAfter(Instant.now(clock))) {
            throw new InvalidRequestException("until must be in the future");
        }
        return add(holderOf(patient), AccessRules.Kind.AUTHORISED, idNat(who), end, "autorisation");
    }

    @Operation(name = "$revoke", type = Patient.class)
    public Parameters revoke(
            @IdParam IIdType patient, @OperationParam(name = "practitioner", min = 1, max = 1) StringType who) {
        String id = holderOf(patient);
        String actor = idNat(who);
        return transactions.execute(status -> {
            boolean ended = rules.end(
                            id,
                            AccessRules.Kind.AUTHORISED,
                            actor,
                            CurrentAccess.caller().actor())
                    | rules.end(
                            id,
                            AccessRules.Kind.CARE_TEAM,
                            actor,
                            CurrentAccess.caller().actor());
            audits.recordNow(true, "révocation de " + actor);
            return result(ended);
        });
    }

    @Operation(name = "$object", type = Patient.class)
    public Parameters object(
            @IdParam IIdType patient, @OperationParam(name = "practitioner", min = 1, max = 1) StringType who) {
        return add(holderOf(patient), AccessRules.Kind.OBJECTED, idNat(who), null, "opposition");
    }

    @Operation(name = "$block", type = Patient.class)
    public Parameters block(
            @IdParam IIdType patient, @OperationParam(name = "practitioner", min = 1, max = 1) StringType who) {
        return add(holderOf(patient), AccessRules.Kind.BLOCKED, idNat(who), null, "blocage");
    }

    @Operation(name = "$unblock", type = Patient.class)
    public Parameters unblock(
            @IdParam IIdType patient, @OperationParam(name = "practitioner", min = 1, max = 1) StringType who) {
        return end(holderOf(patient), AccessRules.Kind.BLOCKED, idNat(who), "déblocage");
    }

    @Operation(name = "$withdraw-objection", type = Patient.class)
    public Parameters withdrawObjection(
            @IdParam IIdType patient, @OperationParam(name = "practitioner", min = 1, max = 1) StringType who) {
        return end(holderOf(patient), AccessRules.Kind.OBJECTED, idNat(who), "retrait de l'opposition");
    }

    @Operation(name = "$refuse-mode", type = Patient.class)
    public Parameters refuseMode(
            @IdParam IIdType patient, @OperationParam(name = "mode", min = 1, max = 1) CodeType mode) {
        return add(
                holderOf(patient),
                AccessRules.Kind.REFUSED_MODE,
                emergencyMode(mode),
                null,
                "refus du mode " + mode.getValue());
    }

    @Operation(name = "$allow-mode", type = Patient.class)
    public Parameters allowMode(
            @IdParam IIdType patient, @OperationParam(name = "mode", min = 1, max = 1) CodeType mode) {
        return end(
                holderOf(patient),
                AccessRules.Kind.REFUSED_MODE,
                emergencyMode(mode),
                "acceptation du mode " + mode.getValue());
    }

    @Operation(name = "$mask", type = DocumentReference.class)
    public Parameters mask(@IdParam IIdType document) {
        return label(document, true);
    }

    @Operation(name = "$unmask", type = DocumentReference.class)
    public Parameters unmask(@IdParam IIdType document) {
        return label(document, false);
    }

    @Operation(name = "$trail", type = Patient.class, idempotent = true)
    public Parameters trail(@IdParam IIdType patient, @OperationParam(name = "_count", max = 1) IntegerType count) {
        String id = holderOf(patient);
        int limit = count == null || count.getValue() == null ? 100 : Math.max(1, Math.min(1000, count.getValue()));
        Parameters out = new Parameters();
        Caller caller = CurrentAccess.caller();
        Visibility visibility = CurrentAccess.visibility();
        var entries = caller.kind() == Caller.Kind.SYSTEM
                ? trail.trail(id, limit)
                : trail.trail(id, limit, references -> vault.visibleReferences(references, visibility));
        for (AuditTrail.Entry entry : entries) {
            Parameters.ParametersParameterComponent part = out.addParameter().setName("entry");
            part.addPart().setName("text").setValue(new StringType(entry.text()));
            part.addPart().setName("event").setResource(entry.event());
        }
        return out;
    }

    @Operation(name = "$verify-trail", type = Patient.class, idempotent = true)
    public Parameters verifyTrail(@IdParam IIdType patient) {
        Caller caller = CurrentAccess.caller();
        String id = patient.getIdPart();
        if (!caller.actsFor(id) && caller.kind() != Caller.Kind.OPERATOR && caller.kind() != Caller.Kind.SYSTEM) {
            throw unknown(patient);
        }
        AuditTrail.Verification verification = trail.verify(id);
        Parameters out = new Parameters();
        out.addParameter().setName("intact").setValue(new BooleanType(verification.intact()));
        out.addParameter().setName("entries").setValue(new IntegerType((int) verification.entries()));
        if (!verification.intact()) {
            out.addParameter()
                    .setName("firstBroken")
                    .setValue(new IntegerType(
                            java.util.Objects.requireNonNull(verification.firstBroken(), "a broken chain says where")
                                    .intValue()));
            out.addParameter().setName("problem").setValue(new StringType(verification.problem()));
        }
        return out;
    }

    @Operation(name = "$notifications", type = Patient.class, idempotent = true)
    public Parameters patientNotifications(@IdParam IIdType patient) {
        return notifications("Patient/" + holderOf(patient));
    }

    /** A professional's own notifications (emergency access and first access to the records they follow). */
    @Operation(name = "$notifications", idempotent = true)
    public Parameters professionalNotifications() {
        Caller caller = CurrentAccess.require(Caller.Kind.PROFESSIONAL);
        // Nothing of a record whose holder blocked the professional, not even what was said before the block.
        String idNatPs = java.util.Objects.requireNonNull(caller.idNatPs(), "a professional has an IdNat_PS");
        return notifications(caller.actor(), n -> !rules.blocked(n.patientId(), idNatPs));
    }

    private Parameters notifications(String recipient) {
        return notifications(recipient, n -> true);
    }

    private Parameters notifications(String recipient, java.util.function.Predicate<AuditTrail.Notification> shown) {
        Parameters out = new Parameters();
        for (AuditTrail.Notification n : trail.notifications(recipient, 100)) {
            if (!shown.test(n)) {
                continue;
            }
            Parameters.ParametersParameterComponent part = out.addParameter().setName("notification");
            part.addPart().setName("kind").setValue(new CodeType(n.kind()));
            part.addPart().setName("patient").setValue(new StringType(n.patientId()));
            part.addPart().setName("created").setValue(new InstantType(java.util.Date.from(n.created())));
            part.addPart().setName("message").setValue(new StringType(n.message()));
        }
        return out;
    }

    private Parameters label(IIdType document, boolean masked) {
        Caller caller = CurrentAccess.caller();
        return transactions.execute(status -> {
            DocumentMasks.Masking masking = masks.setMasked(
                    document.getIdPart(),
                    masked,
                    CurrentAccess.visibility(),
                    patient -> caller.actsFor(patient) || caller.kind() == Caller.Kind.SYSTEM);
            CurrentAccess.disclose("DocumentReference", document.getIdPart(), masking.patientId());
            audits.recordNow(true, masked ? "masquage du document" : "démasquage du document");
            return result(masking.changed());
        });
    }

    private Parameters add(
            String patient,
            AccessRules.Kind kind,
            String actor,
            @org.jspecify.annotations.Nullable Instant until,
            String what) {
        return transactions.execute(status -> {
            rules.add(patient, kind, actor, until, CurrentAccess.caller().actor());
            audits.recordNow(true, what + " : " + actor);
            return result(true);
        });
    }

    private Parameters end(String patient, AccessRules.Kind kind, String actor, String what) {
        return transactions.execute(status -> {
            boolean ended =
                    rules.end(patient, kind, actor, CurrentAccess.caller().actor());
            audits.recordNow(true, what + " : " + actor);
            return result(ended);
        });
    }

    private static Parameters result(boolean changed) {
        Parameters out = new Parameters();
        out.addParameter().setName("changed").setValue(new BooleanType(changed));
        return out;
    }

    /** The record the caller holds or represents, or a trusted system acts on; anyone else: 404. */
    private static String holderOf(IIdType patient) {
        Caller caller = CurrentAccess.caller();
        String id = patient.getIdPart();
        if (caller.actsFor(id) || caller.kind() == Caller.Kind.SYSTEM) {
            return id;
        }
        throw unknown(patient);
    }

    private String holderOrTraitantOf(IIdType patient) {
        Caller caller = CurrentAccess.caller();
        String id = patient.getIdPart();
        if (caller.kind() == Caller.Kind.PROFESSIONAL && rules.traitants(id).contains(caller.idNatPs())) {
            return id;
        }
        return holderOf(patient);
    }

    private static ResourceNotFoundException unknown(IIdType patient) {
        return new ResourceNotFoundException("Patient/" + patient.getIdPart() + " is not known");
    }

    private static String idNat(StringType who) {
        String value =
                who == null || who.getValue() == null ? "" : who.getValue().strip();
        if (!Caller.isIdNatPs(value)) {
            throw new InvalidRequestException("practitioner is an IdNat_PS (10 to 12 digits, e.g. 810004372156)");
        }
        return value;
    }

    private static String emergencyMode(CodeType mode) {
        String code = mode == null ? null : mode.getValue();
        return AccessMode.ofCode(code == null ? "" : code)
                .filter(AccessMode::isEmergency)
                .map(AccessMode::code)
                .orElseThrow(() -> new InvalidRequestException("mode is bris-de-glace or centre-15"));
    }
}
