package org.carnet.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import org.carnet.access.AccessRules;
import org.carnet.access.Caller;
import org.carnet.identity.Identities;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Identity-vigilance over FHIR: INSi retrieval and verification, validation with an identity document,
 * probable duplicates, merge and unmerge (see docs/identity.md).
 */
final class IdentityOperations {

    private final Identities identities;
    private final AccessRules rules;
    private final Audits audits;
    private final TransactionTemplate transactions;

    IdentityOperations(Identities identities, AccessRules rules, Audits audits, TransactionTemplate transactions) {
        this.rules = rules;
        this.audits = audits;
        this.transactions = transactions;
        this.identities = identities;
    }

    @Operation(name = "$insi-retrieve", type = Patient.class)
    public Parameters retrieve(@IdParam IIdType patient, @OperationParam(name = "cardNir") StringType cardNir) {
        officer();
        Identities.InsiOutcome outcome = cardNir == null
                ? identities.retrieveIns(patient.getIdPart())
                : identities.retrieveInsByCard(patient.getIdPart(), cardNir.getValue());
        return insi(outcome);
    }

    @Operation(name = "$insi-verify", type = Patient.class)
    public Parameters verify(@IdParam IIdType patient) {
        officer();
        return insi(identities.verifyIns(patient.getIdPart()));
    }

    @Operation(name = "$identity-validate", type = Patient.class)
    public Parameters validate(@IdParam IIdType patient, @OperationParam(name = "mode") CodeType mode) {
        officer();
        Parameters result = new Parameters();
        result.addParameter(
                "status",
                new CodeType(identities
                        .validateWithDocument(patient.getIdPart(), mode == null ? null : mode.getValue())
                        .name()));
        return result;
    }

    @Operation(name = "$duplicates", type = Patient.class, idempotent = true)
    public Parameters duplicates(@IdParam(optional = true) IIdType patient) {
        officer();
        return pairs(identities.openDuplicates(patient == null ? null : patient.getIdPart()));
    }

    @Operation(name = "$dismiss-duplicate", type = Patient.class)
    public Parameters dismiss(@OperationParam(name = "patient", min = 2, max = 2) List<Reference> patients) {
        officer();
        if (patients == null || patients.size() != 2) {
            throw new InvalidRequestException("Parameter patient is given twice: the two patients of the pair");
        }
        identities.dismissDuplicate(patientId(patients.get(0), "patient"), patientId(patients.get(1), "patient"));
        return new Parameters().addParameter("status", new CodeType("dismissed"));
    }

    @Operation(name = "$merge", type = Patient.class)
    public Parameters merge(
            @OperationParam(name = "survivor", min = 1, max = 1) Reference survivor,
            @OperationParam(name = "merged", min = 1, max = 1) Reference merged) {
        officer();
        String survivorId = patientId(survivor, "survivor");
        String mergedId = patientId(merged, "merged");
        // The merge, the restrictions that follow the data, and the audit entries on both records commit together.
        return transactions.execute(status -> {
            Parameters result = merge(identities.merge(survivorId, mergedId));
            rules.carryRestrictions(mergedId, survivorId, CurrentAccess.caller().actor());
            CurrentAccess.disclose("Patient", survivorId, survivorId);
            CurrentAccess.disclose("Patient", mergedId, mergedId);
            audits.recordNow(true, "fusion de " + mergedId + " dans " + survivorId);
            return result;
        });
    }

    @Operation(name = "$unmerge", type = Patient.class)
    public Parameters unmerge(@OperationParam(name = "merge", min = 1, max = 1) Reference mergeEvent) {
        officer();
        String reference = mergeEvent == null ? null : mergeEvent.getReference();
        if (reference == null || !reference.startsWith("AuditEvent/")) {
            throw new InvalidRequestException("Parameter merge is the reference of the merge's AuditEvent"
                    + " (AuditEvent/<id>), as $merge returned it");
        }
        return merge(identities.unmerge(reference.substring("AuditEvent/".length())));
    }

    private static Parameters insi(Identities.InsiOutcome outcome) {
        Parameters result = new Parameters();
        result.addParameter("answer", new CodeType(outcome.answer().value));
        outcome.queries().forEach(q -> result.addParameter("query", new StringType(q)));
        result.addParameter("status", new CodeType(outcome.status().name()));
        return result;
    }

    private static Parameters pairs(List<Identities.DuplicatePair> pairs) {
        Parameters result = new Parameters();
        for (Identities.DuplicatePair pair : pairs) {
            var part = result.addParameter().setName("pair");
            part.addPart().setName("patient").setValue(new Reference("Patient/" + pair.patientA()));
            part.addPart().setName("patient").setValue(new Reference("Patient/" + pair.patientB()));
            pair.reasons().forEach(r -> part.addPart().setName("reason").setValue(new CodeType(r)));
        }
        return result;
    }

    private static Parameters merge(Identities.MergeOutcome outcome) {
        Parameters result = new Parameters();
        result.addParameter("survivor", new Reference("Patient/" + outcome.survivor()));
        result.addParameter("merged", new Reference("Patient/" + outcome.merged()));
        result.addParameter("auditEvent", new Reference("AuditEvent/" + outcome.auditEvent()));
        outcome.moved().forEach(m -> result.addParameter("moved", new Reference(m)));
        return result;
    }

    private static String patientId(Reference reference, String name) {
        String value = reference == null ? null : reference.getReference();
        if (value == null || !value.matches("Patient/[A-Za-z0-9\\-.]{1,64}")) {
            throw new InvalidRequestException("Parameter " + name + " is a Patient reference (Patient/<id>)");
        }
        return value.substring("Patient/".length());
    }

    /** Identity work is the identity officer's (and trusted systems'); it shows identities, never clinical content. */
    private static void officer() {
        CurrentAccess.require(Caller.Kind.IDENTITY_OFFICER, Caller.Kind.SYSTEM);
    }
}
