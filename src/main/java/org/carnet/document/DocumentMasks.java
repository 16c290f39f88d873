package org.carnet.document;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.List;
import java.util.function.Predicate;
import org.carnet.record.Change;
import org.carnet.record.RecordReads;
import org.carnet.record.RecordWrites;
import org.carnet.record.Visibility;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The holder's mask over a document ({@code MASQUE_PS}: hidden from professionals, BRIEF.md "The holder's rules"): set
 * or lifted on the document's {@code meta.security} and {@code securityLabel} together, as a new version. Labels
 * change only here: the store refuses a caller's update that changes them.
 */
@Component
public class DocumentMasks {

    /** The DMP visibility code of a document masked from professionals. */
    public static final String MASQUE_PS = "MASQUE_PS";

    private final RecordReads vault;
    private final RecordWrites writes;

    DocumentMasks(RecordReads vault, RecordWrites writes) {
        this.vault = vault;
        this.writes = writes;
    }

    /**
     * What a mask request did.
     *
     * @param patientId the record that holds the document
     * @param changed false when the document was masked (or unmasked) already
     */
    public record Masking(String patientId, boolean changed) {}

    /**
     * Masks or unmasks a document, read as the caller sees it (a document hidden from them is unknown: 404).
     *
     * @param mayMask whether the caller may mask in a patient's record (the holder or their representative); 403
     *     otherwise
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Masking setMasked(String documentId, boolean masked, Visibility visibility, Predicate<String> mayMask) {
        DocumentReference doc = (DocumentReference) vault.read("DocumentReference", documentId, visibility);
        String patient = vault.patientOf("DocumentReference", documentId).orElse(null);
        if (patient == null || !mayMask.test(patient)) {
            throw new ForbiddenOperationException(
                    "Only the holder (or their representative) masks or unmasks a document");
        }
        boolean has = doc.getMeta().getSecurity().stream().anyMatch(c -> MASQUE_PS.equals(c.getCode()));
        if (has == masked) {
            return new Masking(patient, false);
        }
        if (masked) {
            Coding label =
                    new Coding(DocumentIntake.VISIBILITY_SYSTEM, MASQUE_PS, "Masqué aux professionnels de santé");
            doc.getMeta().addSecurity(label);
            doc.addSecurityLabel(new CodeableConcept(label.copy()));
        } else {
            doc.getMeta().getSecurity().removeIf(c -> MASQUE_PS.equals(c.getCode()));
            doc.getSecurityLabel().removeIf(l -> l.getCoding().stream().anyMatch(c -> MASQUE_PS.equals(c.getCode())));
        }
        writes.apply(
                List.of(new Change.Update(doc, Integer.valueOf(doc.getMeta().getVersionId()))));
        return new Masking(patient, true);
    }
}
