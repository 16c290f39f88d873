package org.carnet.ingestion.hl7v2;

/**
 * One PID-3 repetition (CX): {@code value^^^namespace&OID&ISO^typeCode}, e.g. an INS with the OID of its
 * authority and the type code {@code INS}. {@code authorityOid} is set only when PID-3.4.2 is an OID.
 */
record PatientId(
        String value,
        @org.jspecify.annotations.Nullable String authorityOid,
        @org.jspecify.annotations.Nullable String typeCode) {

    public PatientId {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a patient identifier needs a value");
        }
    }
}
