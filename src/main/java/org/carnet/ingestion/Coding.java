package org.carnet.ingestion;

/**
 * A coded value as the sender wrote it: {@code system} is the HL7 v2 coding-system name (e.g. {@code LN},
 * {@code MetaDMPMSS}) or the CDA's codeSystem OID, not a FHIR URI; any part may be null, but not all three.
 */
public record Coding(String system, String code, String display) {

    public Coding {
        if (code == null && display == null && system == null) {
            throw new IllegalArgumentException("a coding needs a code, a display or a system");
        }
    }

    private static final String LOINC_OID = "2.16.840.1.113883.6.1";

    /** The FHIR coding: LOINC ({@code LN} or its OID) as {@code http://loinc.org}, an OID as {@code urn:oid:…}. */
    public org.hl7.fhir.r4.model.Coding toFhir() {
        String fhirSystem = system == null ? null
                : "LN".equals(system) || LOINC_OID.equals(system) ? "http://loinc.org"
                : system.matches("[0-2](\\.[0-9]+)+") ? "urn:oid:" + system
                : system;
        return new org.hl7.fhir.r4.model.Coding(fhirSystem, code, display);
    }
}
