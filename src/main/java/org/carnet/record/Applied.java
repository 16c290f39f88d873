package org.carnet.record;

import java.util.Collections;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * What a write unit did: one {@link Written} per change, in order, and for each change the id of the document it
 * duplicates (null when it is not a duplicate; its Written is then the existing document's, unchanged).
 */
public record Applied(List<Written> written, List<String> duplicateOf) {

    public Applied {
        written = List.copyOf(written);
        duplicateOf = Collections.unmodifiableList(new java.util.ArrayList<>(duplicateOf));
    }

    /** A unit in which nothing was a duplicate. */
    public static Applied of(List<Written> written) {
        return new Applied(written, Collections.nCopies(written.size(), null));
    }

    public boolean duplicate(int change) {
        return duplicateOf.get(change) != null;
    }

    /** The warning answered for a document that was filed already ({@code existing}: {@code Type/id}). */
    public static OperationOutcome duplicateOutcome(String existing) {
        OperationOutcome duplicate = new OperationOutcome();
        duplicate
                .addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.WARNING)
                .setCode(OperationOutcome.IssueType.DUPLICATE)
                .setDiagnostics("Duplicate: this document (same masterIdentifier) is filed already as " + existing
                        + "; nothing was stored");
        return duplicate;
    }
}
