package org.carnet.ingestion;

import java.util.List;
import org.carnet.record.Change;

/**
 * Reads one kind of inbound item into what to file. Small and stateless: the {@link Ingestion} service does the
 * rest (fingerprint, patient matching, quarantine, the write unit, the ledger, audit). Thread-safe.
 */
public interface Connector {

    /** The zone of French senders' local dates and times (HL7 v2, CDA, sidecars) when they name none. */
    java.time.ZoneId FRANCE = java.time.ZoneId.of("Europe/Paris");

    /** The connector's name, as in {@link Inbound#connector()} and the ledger. */
    String name();

    /** Whether a file of a bulk import is for this connector (by name and first bytes). */
    boolean accepts(String fileName, byte[] head);

    /**
     * When the item was produced, as its format says it (a CDA's {@code effectiveTime}, an HL7 message's MSH-7), read
     * from its first bytes; null when the format gives none or {@code head} does not hold it. A bulk import files its
     * items in this order, so that a replacement or a deletion comes after the document it names.
     */
    default java.time.@org.jspecify.annotations.Nullable Instant messageTime(byte[] head) {
        return null;
    }

    /** Reads an item; a {@link Refused} carries the precise reason an operator reads in the dead-letter list. */
    Reading read(Inbound item) throws Refused;

    /**
     * What an item says: whose it is, and the write unit to apply once the patient is known; or, for an item that
     * carries its own patient (a FHIR Bundle creating it), how it files itself.
     */
    record Reading(
            @org.jspecify.annotations.Nullable PatientClaim patient,
            @org.jspecify.annotations.Nullable Unit unit,
            @org.jspecify.annotations.Nullable SelfFiling selfFiling) {

        public Reading(PatientClaim patient, Unit unit) {
            this(patient, unit, null);
        }

        static Reading selfFiling(SelfFiling filing) {
            return new Reading(null, null, filing);
        }
    }

    /** An item applied as it is, inside the ingestion's transaction. */
    @FunctionalInterface
    interface SelfFiling {
        Applied apply();
    }

    /**
     * What a self-filing item did: its (first) patient, the resources written, whether all of it was filed before, and
     * the resources by the record they are filed in ("" for shared ones), for the audit trail of each record.
     */
    record Applied(
            @org.jspecify.annotations.Nullable String patientId,
            List<String> resources,
            boolean duplicate,
            java.util.Map<String, List<String>> byPatient) {}

    /** The changes to apply for the matched patient (the id of a Patient resource), in one unit. */
    @FunctionalInterface
    interface Unit {
        List<Change> changes(String patientId, Documents documents) throws Refused;
    }

    /** What connectors may ask about documents already filed (replacements and deletions name them by unique id). */
    interface Documents {
        /**
         * The DocumentReference id filed in this patient's record under a unique id that a replacement or deletion
         * names, or null: a message about one person never reaches another person's documents, even when two
         * senders reuse a unique id. Connectors call it for those targets only: when the item may wait for its target
         * (a bulk import), an unknown one makes the ingestion put the item back for later instead of filing it
         * (nothing is written).
         */
        @org.jspecify.annotations.Nullable
        String filedUnder(String uniqueId, String patientId);

        /** The Practitioner id of an IdNat_PS in the directory, or null. */
        @org.jspecify.annotations.Nullable
        String practitioner(String idNat);
    }
}
